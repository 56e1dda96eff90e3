import type { EndpointState } from '../ports/state-store';
import type { Random } from '../ports/random';
import { wakeTime } from './choose-endpoint';
import { payRetryBeforeWait, sleepWithin } from './wait-for-endpoint';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import type { Candidate } from './serving-endpoints';

/**
 * How long a request sleeps for a preferred endpoint that frees up in `waitMs` (at most `limitMs`): longer by a draw
 * of up to 10 % of all it will have waited (`waitedMs` before this wait, and this one), never past `limitMs`. Every
 * request waiting on one cooldown sees the same instant (its jitter was drawn once, by the 429 that set it), and
 * each 429 that arrives meanwhile moves that instant on: without a draw of their own, sized by the whole wait
 * rather than what is left of it, the waiters would return to the endpoint together, the burst a throttled provider
 * least needs.
 */
const spreadWake = (waitMs: number, waitedMs: number, limitMs: number, random: Random): number =>
  Math.min(waitMs + Math.ceil(random() * (waitMs + waitedMs) * 0.1), limitMs);

/** What `preferWaitMs` decides before an attempt: take this endpoint now, wait this long for a better one, or neither. */
export type TierPreference = { readonly take: Candidate } | { readonly waitMs: number } | undefined;

/**
 * With `preferWaitMs` above 0, decides whether the request should hold out for a preferred endpoint rather than take
 * the best one available now: an endpoint in a better (lower) tier than anything in `pool`, or the endpoint owed
 * one retry after a transient 5xx. When that endpoint is available it is taken; when it frees up within what is
 * left of `preferWaitMs`, within `maxServerDelayMs` and before the deadline, the request waits for it; otherwise
 * the usual choice goes ahead (a lower tier, another endpoint). A fresh request waits too when the preferred tier
 * is cooling down after another request's 429: that is the point of preferring it. An endpoint resting after an
 * overload (a soft cooldown) is never waited for. The wait is spread per request (`spreadWake`); pure but for
 * that draw.
 */
export const preferTier = ({ options, selection, random }: RouterContext, state: RequestState, states: readonly EndpointState[], pool: readonly Candidate[], now: number): TierPreference => {
  const left = options.preferWaitMs - state.preferWaitedMs;
  // An empty pool is the usual wait's business (fail fast before any attempt, else sleep for the first to free up).
  if (left <= 0 || pool.length === 0) return undefined;
  const owed = state.retryOnce;
  if (owed !== undefined) {
    const take = pool.find((candidate) => candidate.name === owed);
    if (take !== undefined) return { take };
  }
  let best = Number.POSITIVE_INFINITY;
  for (const candidate of pool) best = Math.min(best, candidate.priority);
  // An endpoint resting after an overload is not waited for: the store says it is free, so it would be waited for
  // again and again, a millisecond at a time, while the rest passes it over.
  const resting = (candidate: Candidate) => (selection.overloaded.get(candidate.name) ?? 0) > now;
  // Nor one another request is rechecking after its hold ran out: its answer may take any time.
  const passedOver = (candidate: Candidate) => (state.passedOver?.get(candidate.name) ?? 0) > now;
  const wakeAt = wakeTime(state, states, now, options.breaker, (candidate) => (candidate.priority < best || candidate.name === owed) && !resting(candidate) && !passedOver(candidate));
  if (!Number.isFinite(wakeAt)) return undefined;
  const waitMs = wakeAt - now;
  const limitMs = Math.min(left, options.maxServerDelayMs, state.deadline.at - now - 1);
  if (waitMs > limitMs) return undefined;
  return { waitMs: spreadWake(waitMs, state.preferWaitedMs, limitMs, random) };
};

/**
 * Sleeps a preferred-tier wait, counting it against `preferWaitMs`; the loop looks again afterwards. When the retry
 * budget cannot pay for the retry it waits for, it does not wait: the preference is spent and the loop takes what
 * is available now.
 */
export const waitForPreferred = async (context: RouterContext, state: RequestState, waitMs: number, now: number): Promise<void> => {
  // The budget cannot grant the retry this wait is for: stop preferring and take what is available now.
  if (!(await payRetryBeforeWait(context, state, now))) {
    state.preferWaitedMs = context.options.preferWaitMs;
    return;
  }
  state.waited = true;
  state.preferWaitedMs += waitMs;
  const { last } = state;
  // A request may wait before any failure of its own: another's put the better tier in its cooldown.
  const reason = last ? `preferring a better tier after ${last.outcome.classification.reason}` : 'preferring a better tier while it cools down';
  context.emit(() => ({ type: 'retry-wait', endpoint: last?.candidate.name, delayMs: waitMs, reason, at: now }));
  await sleepWithin(context, state, waitMs);
};
