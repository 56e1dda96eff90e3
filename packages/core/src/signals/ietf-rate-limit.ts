import { parseStructuredList } from './parse-structured-list';

/** What the IETF RateLimit fields say about the tightest policy. */
export interface IetfRateLimit {
  /** Units left before the reset, the smallest across policies. */
  readonly remaining: number;
  /** Milliseconds until more quota is available, when given. */
  readonly resetMs: number | undefined;
}

const nonNegativeInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * Reads the `RateLimit` field of draft-ietf-httpapi-ratelimit-headers-10 (`"default";r=0;t=10`), and as a
 * fallback the older draft-07 dictionary (`limit=100, remaining=0, reset=30`). Malformed fields are ignored
 * (undefined), never read as exhausted. With several policies the one with the fewest units left wins.
 */
export const readIetfRateLimit = (field: string | undefined): IetfRateLimit | undefined => {
  if (field === undefined) return undefined;
  const items = parseStructuredList(field);
  if (items && items.length > 0) {
    let tightest: IetfRateLimit | undefined;
    for (const { params } of items) {
      if (!nonNegativeInteger(params.r)) return undefined;
      const resetMs = params.t === undefined ? undefined : nonNegativeInteger(params.t) ? params.t * 1000 : Number.NaN;
      if (Number.isNaN(resetMs)) return undefined;
      // The fewest units left wins; among policies equally spent, the one that resets last decides the wait.
      const later = tightest !== undefined && params.r === tightest.remaining && (resetMs ?? 0) > (tightest.resetMs ?? 0);
      if (!tightest || params.r < tightest.remaining || later) tightest = { remaining: params.r, resetMs };
    }
    return tightest;
  }
  const remaining = /(?:^|[,\s])remaining=(\d+)/.exec(field);
  if (!remaining) return undefined;
  const reset = /(?:^|[,\s])reset=(\d+)/.exec(field);
  return { remaining: Number(remaining[1]), resetMs: reset ? Number(reset[1]) * 1000 : undefined };
};

/**
 * The smallest quota (`q`) a `RateLimit-Policy` field (draft-10) declares, when it declares one: what an exhausted
 * `RateLimit` refills to, so the quota model can refill it steadily rather than wait out the reset.
 */
export const readIetfPolicyQuota = (field: string | undefined): number | undefined => {
  const items = field === undefined ? undefined : parseStructuredList(field);
  let smallest: number | undefined;
  for (const { params } of items ?? []) if (nonNegativeInteger(params.q) && params.q > 0 && (smallest === undefined || params.q < smallest)) smallest = params.q;
  return smallest;
};
