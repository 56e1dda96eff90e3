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
