/**
 * One quota dimension (requests, tokens, input or output tokens) as a token bucket: `level` units were left at
 * `at`, and it refills at `ratePerMs` up to `capacity`. Plain data, so a store can carry it.
 */
export interface QuotaBucket {
  readonly capacity: number;
  readonly level: number;
  readonly ratePerMs: number;
  readonly at: number;
  /**
   * Past this instant the bucket says nothing until the next reading. When the provider gave no limit, what it said
   * holds only until its reset (IETF RateLimit: spend no more than `r` before `t`); with a limit, until a window after
   * the bucket would be whole again, unless an answer renews it. Unset: always in force (a configured limit).
   */
  readonly until?: number | undefined;
}

/** Whether the bucket still constrains anything at `now`. Pure. */
export const inForce = (bucket: QuotaBucket, now: number): boolean => bucket.until === undefined || now < bucket.until;

const epsilon = 1e-9;

/** Units left at `now`: what was left at `at` plus what has refilled since, never above `capacity`. Pure. */
export const levelAt = (bucket: QuotaBucket, now: number): number =>
  Math.min(bucket.capacity, bucket.level + bucket.ratePerMs * Math.max(0, now - bucket.at));

/**
 * Milliseconds until `amount` units are available: 0 when they are now, infinite when the bucket never refills.
 * An amount above the capacity waits for a full bucket (a provider charges such a request what it can, as the
 * testkit's limiter does; the request is refused upstream if it really is too large, not here). Pure.
 */
export const msUntilAvailable = (bucket: QuotaBucket, amount: number, now: number): number => {
  const wanted = Math.min(amount, bucket.capacity);
  const level = levelAt(bucket, now);
  // Refill is float arithmetic: 1/60000 per ms times 60000 ms may fall a hair short of 1.
  if (level + epsilon >= wanted) return 0;
  if (bucket.ratePerMs <= 0) return Number.POSITIVE_INFINITY;
  return Math.ceil((wanted - level) / bucket.ratePerMs);
};

/**
 * Milliseconds until the bucket is whole again at `now`: 0 when it is. One that does not refill (a reading without a
 * limit: what is left must last until its reset) is reset at its `until`, when it stops constraining. Pure.
 */
export const msUntilWhole = (bucket: QuotaBucket, now: number): number => {
  if (bucket.ratePerMs <= 0 && bucket.until !== undefined) return Math.max(0, bucket.until - now);
  const missing = bucket.capacity - levelAt(bucket, now);
  if (missing <= epsilon) return 0;
  return bucket.ratePerMs > 0 ? Math.ceil(missing / bucket.ratePerMs) : Number.POSITIVE_INFINITY;
};

/**
 * What a request of `amount` units spends of the bucket: at most its whole capacity, as a provider charges a request
 * larger than its bucket what it can (the testkit's limiter does too). Uncapped, one reading of a tiny limit (1 token
 * a minute) drove the level hundreds of units below zero with each request, and held the endpoint for minutes. Pure.
 */
export const spendOf = (bucket: QuotaBucket, amount: number): number => Math.min(amount, Math.max(0, bucket.capacity));

/** The bucket brought to `now` with `amount` taken (or given back, when negative), never above capacity. Pure. */
export const takeFrom = (bucket: QuotaBucket, amount: number, now: number): QuotaBucket => ({
  capacity: bucket.capacity,
  level: Math.min(bucket.capacity, levelAt(bucket, now) - spendOf(bucket, amount)),
  ratePerMs: bucket.ratePerMs,
  at: Math.max(now, bucket.at),
  until: bucket.until,
});

/** A bucket the quota model owns and changes in place (the model keeps one object per dimension and key). */
export type OwnedQuotaBucket = { -readonly [K in keyof QuotaBucket]: QuotaBucket[K] };

/**
 * {@link takeFrom} in place: the model spends from its own buckets on every reservation and settle, and a fresh
 * object each time was garbage on every request.
 */
export const spendFrom = (bucket: OwnedQuotaBucket, amount: number, now: number): void => {
  bucket.level = Math.min(bucket.capacity, levelAt(bucket, now) - spendOf(bucket, amount));
  bucket.at = Math.max(now, bucket.at);
};

/**
 * The share of the bucket left at `now` once `amount` is taken, in [0, 1]: how much traffic the endpoint should
 * still get. The same as the level of `takeFrom(bucket, amount, now)` over the capacity, without building that
 * bucket (asked for every candidate of every request). Pure.
 */
export const headroomAfter = (bucket: QuotaBucket, amount: number, now: number): number =>
  bucket.capacity <= 0 ? 0 : Math.max(0, Math.min(1, Math.min(bucket.capacity, levelAt(bucket, now) - amount) / bucket.capacity));
