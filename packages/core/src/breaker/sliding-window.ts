/** One time slice of outcomes. */
export interface WindowBucket {
  readonly start: number;
  readonly failures: number;
  readonly total: number;
}

/** Outcomes over the last `windowMs`, in time buckets; plain data so it serializes into any store. */
export type SlidingWindow = readonly WindowBucket[];

/** Adds one outcome at `now`, dropping buckets that have slid out of the window. */
export const recordInWindow = (
  window: SlidingWindow, now: number, failed: boolean, windowMs: number, bucketCount: number,
): SlidingWindow => {
  const bucketMs = Math.max(1, Math.floor(windowMs / bucketCount));
  const start = now - (now % bucketMs);
  // One pass, one array: it runs on every answer.
  const next: WindowBucket[] = [];
  let current: WindowBucket | undefined;
  for (const bucket of window) {
    if (bucket.start === start) current ??= bucket;
    else if (bucket.start > now - windowMs) next.push(bucket);
  }
  next.push({ start, failures: (current?.failures ?? 0) + (failed ? 1 : 0), total: (current?.total ?? 0) + 1 });
  return next;
};

/**
 * Turns one success counted in the bucket that holds `at` into a failure, without adding an outcome: a stream whose
 * first event counted as a success and that was then cut is one failed request. Undefined when that bucket has slid
 * out of the window or holds no success (then the failure is an outcome of its own).
 */
export const turnSuccessToFailure = (
  window: SlidingWindow, at: number, now: number, windowMs: number, bucketCount: number,
): SlidingWindow | undefined => {
  const bucketMs = Math.max(1, Math.floor(windowMs / bucketCount));
  const start = at - (at % bucketMs);
  if (start <= now - windowMs) return undefined;
  const index = window.findIndex((bucket) => bucket.start === start);
  const bucket = window[index];
  if (bucket === undefined || bucket.failures >= bucket.total) return undefined;
  const next = window.slice();
  next[index] = { start, failures: bucket.failures + 1, total: bucket.total };
  return next;
};

/** Failures and total outcomes still inside the window at `now`. */
export const windowTotals = (window: SlidingWindow, now: number, windowMs: number): { failures: number; total: number } => {
  let failures = 0;
  let total = 0;
  for (const bucket of window) {
    if (bucket.start <= now - windowMs) continue;
    failures += bucket.failures;
    total += bucket.total;
  }
  return { failures, total };
};
