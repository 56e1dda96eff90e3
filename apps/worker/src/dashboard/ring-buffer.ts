/** A fixed-size buffer that keeps the newest `capacity` items: memory stays bounded however long the gateway runs. */
export interface RingBuffer<T> {
  push(item: T): void;
  /** The newest item, if any (to coalesce repeats into it). */
  last(): T | undefined;
  /** Every kept item, oldest first. */
  toArray(): T[];
}

/** Creates a {@link RingBuffer} holding at most `capacity` items. */
export const createRingBuffer = <T>(capacity: number): RingBuffer<T> => {
  const items: (T | undefined)[] = new Array<T | undefined>(capacity);
  let next = 0;
  let size = 0;
  return {
    push(item) {
      items[next] = item;
      next = (next + 1) % capacity;
      size = Math.min(size + 1, capacity);
    },
    last: () => (size === 0 ? undefined : items[(next - 1 + capacity) % capacity]),
    toArray() {
      const start = (next - size + capacity) % capacity;
      return Array.from({ length: size }, (_, index) => items[(start + index) % capacity] as T);
    },
  };
};
