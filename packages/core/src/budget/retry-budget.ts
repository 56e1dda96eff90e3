/** Finagle-style retry budget settings. */
export interface RetryBudgetOptions {
  /** Retries allowed per request over the window. @default 0.2 */
  readonly ratio: number;
  /** A floor of retries per second, so a quiet service can still retry. @default 5 */
  readonly minPerSecond: number;
  /** How long a request's deposit counts. @default 10000 */
  readonly ttlMs: number;
}

/** Requests and retries per one-second bucket: plain data, so a shared store can hold it. */
export interface RetryBudgetState {
  readonly buckets: readonly { readonly start: number; readonly requests: number; readonly retries: number }[];
}

/** An empty budget (it still has the floor). */
export const emptyRetryBudget: RetryBudgetState = Object.freeze({ buckets: [] });

const bucketMs = 1000;

/** The state with `count` more of `field` in the current second, the seconds past `ttlMs` dropped. One pass, one array: it runs on every request. */
const bump = (state: RetryBudgetState, now: number, ttlMs: number, field: 'requests' | 'retries', count = 1): RetryBudgetState => {
  const start = now - (now % bucketMs);
  const buckets: RetryBudgetState['buckets'][number][] = [];
  let current: RetryBudgetState['buckets'][number] | undefined;
  for (const bucket of state.buckets) {
    if (bucket.start === start) current ??= bucket;
    else if (bucket.start > now - ttlMs) buckets.push(bucket);
  }
  const requests = current?.requests ?? 0;
  const retries = current?.retries ?? 0;
  buckets.push(field === 'requests' ? { start, requests: requests + count, retries } : { start, requests, retries: retries + 1 });
  return { buckets };
};

/**
 * Counts one request (or `count` of them in the same second, as a store flushing a batch does): each earns `ratio`
 * of a retry for `ttlMs`.
 */
export const depositRequest = (state: RetryBudgetState, now: number, options: RetryBudgetOptions, count = 1): RetryBudgetState =>
  bump(state, now, options.ttlMs, 'requests', count);

/** Retries the budget still allows at `now`: floor + ratio × requests − retries, over the window. Never negative. */
export const retriesAvailable = (state: RetryBudgetState, now: number, options: RetryBudgetOptions): number => {
  let requests = 0;
  let retries = 0;
  for (const bucket of state.buckets) {
    if (bucket.start <= now - options.ttlMs) continue;
    requests += bucket.requests;
    retries += bucket.retries;
  }
  const allowed = options.minPerSecond * (options.ttlMs / 1000) + options.ratio * requests;
  return Math.max(0, Math.floor(allowed - retries));
};

/**
 * Takes one retry from the budget if one is left. When a whole fleet of endpoints fails, retries stay a fixed
 * share of traffic instead of multiplying it.
 */
export const spendRetry = (
  state: RetryBudgetState, now: number, options: RetryBudgetOptions,
): { readonly allowed: boolean; readonly state: RetryBudgetState } =>
  retriesAvailable(state, now, options) >= 1
    ? { allowed: true, state: bump(state, now, options.ttlMs, 'retries') }
    : { allowed: false, state };
