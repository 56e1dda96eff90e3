/**
 * A ring of time buckets, each a capped map from a series key to its figures: the aggregation behind the dashboard's
 * rolling window and the cost ledger. A key past the cap in a bucket is counted under an overflow key, so totals
 * stay right while the detail is bounded: memory is at most `buckets × (maxKeys + overflow keys)` entries, where
 * the overflow keys are the callers' to bound (built from config names, never from a caller's strings).
 */
export interface TimeBuckets<V> {
  /**
   * The figures of `key` in the bucket holding `at`, created with `create` when new; `overflow` (else the options'
   * `overflowKey`) stands in for it in a full bucket. A coarser key (the endpoint's, say) keeps per-endpoint totals
   * right when callers' model names fill the bucket.
   */
  at(at: number, key: string, overflow?: string): V;
  /**
   * Every (key, figures) pair in buckets that overlap the `windowMs` before `now`, oldest bucket first: the window
   * is rounded out to whole buckets (up to one bucket more than asked, never less, within the ring).
   */
  within(windowMs: number, now: number): Iterable<[string, V]>;
}

/** What a bucket's series past its cap count under, beside their endpoint (and key): `(other models)`. */
export const otherModels = '(other models)';

/** Options of {@link createTimeBuckets}. */
export interface TimeBucketsOptions<V> {
  readonly bucketMs: number;
  /** Buckets kept: the longest window is `bucketMs × buckets`. */
  readonly buckets: number;
  /** Distinct keys per bucket before the rest count under their overflow key. */
  readonly maxKeys: number;
  readonly overflowKey: string;
  readonly create: () => V;
}

/** Creates {@link TimeBuckets}. Time comes from the callers (event times, an injected clock), never from here. */
export const createTimeBuckets = <V>({ bucketMs, buckets, maxKeys, overflowKey, create }: TimeBucketsOptions<V>): TimeBuckets<V> => {
  const slots: { index: number; entries: Map<string, V> }[] = Array.from({ length: buckets }, () => ({ index: -1, entries: new Map() }));
  const slotOf = (index: number) => slots[((index % buckets) + buckets) % buckets]!;
  return {
    at(at, key, overflow = overflowKey) {
      const index = Math.floor(at / bucketMs);
      const slot = slotOf(index);
      // A slot last used a whole ring ago is stale: reuse it for this bucket.
      if (slot.index !== index) {
        if (slot.index > index) return create(); // older than the ring: counted nowhere, kept nowhere
        slot.index = index;
        slot.entries.clear();
      }
      const bounded = slot.entries.has(key) || slot.entries.size < maxKeys ? key : overflow;
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
