import type { BreakerOptions } from '../breaker/breaker';
import type { EndpointState } from '../ports/state-store';
import { admissibleFrom, isAvailable } from './endpoint-availability';
import type { Candidate } from './serving-endpoints';

/**
 * What a choice needs to know about the request: the endpoints that serve its model and what it has tried. The
 * request's state is one (structurally), so choosing allocates nothing beyond the pool.
 */
export interface ChoiceRequest {
  /** The endpoints that serve the model; `states` are read in the same order. */
  readonly serving: readonly Candidate[];
  readonly model: string | undefined;
  readonly tried: ReadonlySet<string> | undefined;
  /** When a tried endpoint may be retried. */
  readonly retryAt: ReadonlyMap<string, number> | undefined;
  /** When an endpoint passed over during another request's recheck may be looked at again. */
  readonly passedOver: ReadonlyMap<string, number> | undefined;
  /** Only this endpoint may be retried (the last failure forbids failing over). */
  readonly sameOnly: string | undefined;
}

/**
 * The endpoints that may take the request at `now`: available for its model, either not tried yet or due for their
 * retry, and not passed over for another request's recheck. Pure: selection then picks one of them, and an empty
 * pool means waiting or giving up.
 */
export const availablePool = (request: ChoiceRequest, states: readonly EndpointState[], now: number, breaker: BreakerOptions): Candidate[] => {
  const { serving, model, tried, retryAt, passedOver, sameOnly } = request;
  const pool: Candidate[] = [];
  for (let index = 0; index < serving.length; index += 1) {
    const candidate = serving[index]!;
    if (sameOnly !== undefined && candidate.name !== sameOnly) continue;
    if (tried?.has(candidate.name) && (retryAt?.get(candidate.name) ?? Number.POSITIVE_INFINITY) > now) continue;
    if (passedOver !== undefined && (passedOver.get(candidate.name) ?? 0) > now) continue;
    if (isAvailable(states[index]!, model, now, breaker)) pool.push(candidate);
  }
  return pool;
};

/**
 * The candidates the request has not tried yet, when there are any; else all of them. A failed endpoint that its
 * server says may be retried at once (`Retry-After: 0`, a date already past) is due again at once, and its better
 * tier would win it the choice over every endpoint not yet asked: each attempt would go back to it until the
 * request gave up, and the caller got the 429 a healthy backup could have answered. A retry of a tried endpoint
 * therefore waits until nothing untried can take the request. Allocates only once the request has tried one.
 */
export const untriedFirst = (pool: Candidate[], tried: ReadonlySet<string> | undefined): Candidate[] => {
  if (tried === undefined) return pool;
  let untried: Candidate[] | undefined;
  for (const candidate of pool) if (!tried.has(candidate.name)) (untried ??= []).push(candidate);
  return untried ?? pool;
};

/**
 * When to look again once the pool is empty: the earliest instant an endpoint this request may still use frees
 * up (among those `include` accepts, when given). Infinite when none will. Pure.
 */
export const wakeTime = (
  request: ChoiceRequest,
  states: readonly EndpointState[],
  now: number,
  breaker: BreakerOptions,
  include?: (candidate: Candidate) => boolean,
): number => {
  const { serving, model, tried, retryAt, passedOver, sameOnly } = request;
  let wakeAt = Number.POSITIVE_INFINITY;
  for (let index = 0; index < serving.length; index += 1) {
    const candidate = serving[index]!;
    if (sameOnly !== undefined && candidate.name !== sameOnly) continue;
    if (include !== undefined && !include(candidate)) continue;
    // Tried, and failed without a retry time: done for this request.
    if (tried?.has(candidate.name) && !retryAt?.has(candidate.name)) continue;
    const state = states[index]!;
    if (state.disabledUntil > now) continue;
    // Never wait for a breaker to reopen: an open breaker says the endpoint is failing, and a request that sleeps
    // through its open time (5 s, then 10, then 20) holds its caller for nothing. Waits are for a server's delay
    // or a backoff; the caller learns when the breaker reopens from `retryAfterMs`.
    if (state.breaker.position === 'open' && state.breaker.openUntil > now) continue;
    const at = Math.max(admissibleFrom(state, model, now, breaker), retryAt?.get(candidate.name) ?? 0, passedOver?.get(candidate.name) ?? 0, now + 1);
    wakeAt = Math.min(wakeAt, at);
  }
  return wakeAt;
};

/**
 * How long until any serving endpoint can take the model again, whatever this request has tried: what a caller
 * who gets nothing is told to wait (`retryAfterMs`). Undefined when none ever will. Pure.
 */
export const freeInMs = (model: string | undefined, states: readonly EndpointState[], now: number, breaker: BreakerOptions): number | undefined => {
  let earliest = Number.POSITIVE_INFINITY;
  for (const state of states) earliest = Math.min(earliest, Math.max(admissibleFrom(state, model, now, breaker), now + 1));
  return Number.isFinite(earliest) ? earliest - now : undefined;
};
