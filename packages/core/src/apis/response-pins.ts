/**
 * Which storage holds each stored Response (or conversation) this router has seen: `id → storage`. Stored
 * responses live in one OpenAI organisation/project, so a continuation must reach a key of that project; this map is
 * how the router remembers where it served each one.
 */
export interface ResponsePins {
  /** The storage holding `id`, when this router learned it. */
  get(id: string): string | undefined;
  /**
   * Notes that `storage` holds `id`; the oldest pin is forgotten once the map is full. An id pinned to another
   * storage stays there: ids are made by their storage, and a second storage answering with one is an upstream that
   * lies (followed, the conversation would go on without its history).
   */
  set(id: string, storage: string): void;
  /** Pins held now. */
  readonly size: number;
}

/** Longest id kept or looked up: OpenAI's ids are about 50 characters; anything far longer is not an id. */
export const maxResponseIdLength = 256;

/**
 * Creates a {@link ResponsePins} holding at most `capacity` ids, forgetting the oldest first (a `Map` keeps
 * insertion order, and a pin set again moves to the end). Ids come from upstreams and callers, so they are keys of a
 * `Map` only, bounded in count and length. A forgotten pin is not lost: the router looks the id up again.
 *
 * @param capacity @default 10000
 */
export const createResponsePins = (capacity = 10_000): ResponsePins => {
  const pins = new Map<string, string>();
  return {
    get: (id) => pins.get(id),
    set(id, storage) {
      // Keys carry a kind prefix (`response:`) ahead of the id.
      if (id.length === 0 || id.length > maxResponseIdLength + 16) return;
      const held = pins.get(id);
      if (held !== undefined && held !== storage) return;
      pins.delete(id);
      pins.set(id, storage);
      if (pins.size > capacity) {
        const oldest = pins.keys().next();
        if (!oldest.done) pins.delete(oldest.value);
      }
    },
    get size() {
      return pins.size;
    },
  };
};
