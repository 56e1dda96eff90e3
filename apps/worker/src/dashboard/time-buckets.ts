/**
 * A ring of time buckets, each a capped map from a series key to its figures: the aggregation behind the dashboard's
 * rolling window and the cost ledger. Memory is at most `buckets × maxKeys` entries; a key past the cap in a
 * bucket is counted under `overflowKey`, so totals stay right while the detail is bounded.
 */
export interface TimeBuckets<V> {
  /** The figures of `key` in the bucket holding `at`, created with `create` when new. */
  at(at: number, key: string): V;
  /**
   * Every (key, figures) pair in buckets that overlap the `windowMs` before `now`, oldest bucket first: the window
   * is rounded out to whole buckets (up to one bucket more than asked, never less, within the ring).
   */
  within(windowMs: number, now: number): Iterable<[string, V]>;
}

/** Options of {@link createTimeBuckets}. */
export interface TimeBucketsOptions<V> {
  readonly bucketMs: number;
  /** Buckets kept: the longest window is `bucketMs × buckets`. */
  readonly buckets: number;
  /** Distinct keys per bucket before the rest share `overflowKey`. */
  readonly maxKeys: number;
  readonly overflowKey: string;
  readonly create: () => V;
}

/** Creates {@link TimeBuckets}. Time comes from the callers (event times, an injected clock), never from here. */
export const createTimeBuckets = <V>({ bucketMs, buckets, maxKeys, overflowKey, create }: TimeBucketsOptions<V>): TimeBuckets<V> => {
  const slots: { index: number; entries: Map<string, V> }[] = Array.from({ length: buckets }, () => ({ index: -1, entries: new Map() }));
  const slotOf = (index: number) => slots[((index % buckets) + buckets) % buckets]!;
  return {
    at(at, key) {
      const index = Math.floor(at / bucketMs);
      const slot = slotOf(index);
      // A slot last used a whole ring ago is stale: reuse it for this bucket.
      if (slot.index !== index) {
        if (slot.index > index) return create(); // older than the ring: counted nowhere, kept nowhere
        slot.index = index;
        slot.entries.clear();
      }
      const bounded = slot.entries.has(key) || slot.entries.size < maxKeys ? key : overflowKey;
      let value = slot.entries.get(bounded);
      if (value === undefined) {
        value = create();
        slot.entries.set(bounded, value);
      }
      return value;
    },
    *within(windowMs, now) {
      const last = Math.floor(now / bucketMs);
      const first = Math.max(last - buckets + 1, Math.floor((now - windowMs) / bucketMs));
      for (let index = first; index <= last; index += 1) {
        const slot = slotOf(index);
        if (slot.index === index) yield* slot.entries;
      }
    },
  };
};
