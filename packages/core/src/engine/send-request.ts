import type { BreakerOptions } from '../breaker/breaker';
import { recheckPollMs } from '../cooldown/rechecks';
import { DetourError } from '../errors/detour-error';
import type { EndpointState } from '../ports/state-store';
import { isPromiseLike } from '../ports/maybe-promise';
import { selectEndpoint, withoutResting } from '../selection/select-endpoint';
import { admissiblePool, originalCandidate, queueForQuota, releaseQuota, reserveQuota, settleQuotaAttempt } from '../quota/quota-step';
import { awaitStore, awaitWithin, stopWaiting, unanswered } from './await-store';
import { admitAttempt } from './admit-attempt';
import { availablePool, untriedFirst, wakeTime } from './choose-endpoint';
import { giveUp } from './give-up';
import { planRetry } from './plan-retry';
import { preferTier, waitForPreferred } from './prefer-tier';
import { readStates } from './read-states';
import type { RouteRequest } from './prepare-request';
import type { RequestState } from './request-state';
import { recordOutcome } from './record-outcome';
import { releaseHeld } from './release-held';
import { lookUpStorage } from './response-pinning';
import { openRequest } from './request-state';
import type { RouterContext } from './router-context';
import type { RouteResult } from './router';
import { serveResult } from './serve-result';
import { settleRequest } from './settle-request';
import type { AttemptSuccess } from './run-attempt';
import { startAttempt } from './start-attempt';
import { traceRequest } from '../tracing/trace-request';
import { waitForEndpoint } from './wait-for-endpoint';
import { learnRefusal } from './stream-options-refusal';
import { RouterClosedError } from '../errors/router-closed-error';
import { cutByShutDown, shutDownOutcome } from './router-lifecycle';

/**
 * One request's path, top to bottom: prepare (and pin to a storage) → choose → admit → attempt → record the
 * outcome → serve, or learn and choose again; every ending settles once. The loop fails over at once while an
 * endpoint can take the request (unless `preferWaitMs` lets it wait for a better tier), sleeps only when none can
 * and one frees up soon enough, and stops on the deadline, the caller's abort, `maxAttempts` or the retry budget.
 *
 * Awaiting a value that is not a promise still costs a microtask, so with a synchronous store (the in-memory one)
 * the path awaits only the transport: each store answer is awaited only when it really is a promise. The steps
 * share the router's `context` and the request's `state` (see `request-state.ts`) rather than closures made
 * afresh for every request.
 */
export const sendRequest = async (shared: RouterContext, request: RouteRequest): Promise<RouteResult> => {
  // Shut down: refused before anything is read or counted, as a closed binding's router refuses.
  if (shared.lifecycle.shutDown) throw new RouterClosedError();
  const state = openRequest(shared, request);
  // Counted until `settleRequest`, the one door every ending goes through.
  shared.inFlight.open += 1;
  // A traced request runs with a context of its own whose events also feed its spans (`trace-request.ts`).
  const context = shared.tracer === undefined ? shared : traceRequest(shared, state, shared.tracer);
  try {
    const deposited = context.store.depositRequest(state.startedAt, context.options.retryBudget);
    // Unanswered by the deadline: the loop's first check ends the request.
    if (isPromiseLike(deposited)) await awaitStore(context, state, deposited);
    // It continues a stored response this router has not seen: find the storage that holds it first.
    if (!state.pinned) await lookUpStorage(context, state);
    const served = await runAttemptLoop(context, state);
    return serveResult(context, state, served.outcome, served.costUsd);
  } catch (error) {
    // Every ending that is not an answer lands here: the loop's own errors (exhausted, deadline, aborted, no
    // endpoint) and anything else (a store or a transport wrapper throwing). What the attempt holds is handed back
    // first, then the request settles through the same door as every other ending.
    releaseQuota(context, state, state.holdsPending || state.heldStream !== undefined);
    const released = releaseHeld(context, state);
    if (released) await awaitWithin(context.clock, released);
    settleRequest(context, state, false, state.last?.candidate.name, DetourError.isInstance(error) ? error.code : 'internal_error');
    throw error;
  }
};

/** The attempt that served: its outcome (a buffered answer or a committed stream) and its cost. */
export interface ServedAttempt {
  readonly outcome: AttemptSuccess;
  readonly costUsd: number | undefined;
}

/**
 * The loop itself, shared by a request and by a mid-stream rescue (which runs it on a state of its own): choose,
 * admit, attempt, record; resolves with the first attempt that succeeds, throws when it gives up. A served stream
 * is left in `state.heldStream` for the caller to take.
 */
export const runAttemptLoop = async (context: RouterContext, state: RequestState): Promise<ServedAttempt> => {
  const { options, clock } = context;
  for (;;) {
    // The deadline or the caller ended it (a caller's connection the host closed at its shutdown: the shutdown's).
    if (state.deadline.signal.aborted) stopWaiting(context, state);
    // A request out of attempts ends as it would have anyway, with its last answer (a shutdown did not end it).
    if (state.attempts.length - state.freeAttempts >= options.maxAttempts) giveUp(state, 'exhausted');
    if (context.lifecycle.shutDown) throw new RouterClosedError();
    const now = clock.now();
    const read = readStates(context, state.serving);
    const states = isPromiseLike(read) ? await awaitStore(context, state, read) : read;
    if (states === unanswered) return stopWaiting(context, state);
    const pool = availablePool(state, states, now, options.breaker);
    // Admission (quota) narrows the pool to endpoints that can take the request's cost now, weighted by headroom.
    const admissible = admissiblePool(context, state, pool, now);
    // Of those, endpoints resting after an overload are passed over while another can take the request (after
    // admission: a resting endpoint with quota beats a refusal because the others have none).
    const awake = withoutResting(admissible.pool, context.selection.overloaded, now);
    // With `preferWaitMs`, a retry on a better tier is what the request holds out for (see `preferTier`); without it,
    // every endpoint not yet asked comes before a retry.
    const preferring = options.preferWaitMs > 0;
    const candidates = preferring ? awake : untriedFirst(awake, state.tried);
    const preference = preferring ? preferTier(context, state, states, candidates, now) : undefined;
    if (preference !== undefined && 'waitMs' in preference) {
      await waitForPreferred(context, state, preference.waitMs, now);
      continue;
    }
    const picked =
      preference?.take ??
      selectEndpoint(candidates, { strategy: options.selection, state: context.selection, now, random: context.random, latency: options.latency });
    // Every endpoint left was passed over while other requests recheck it, and no other frees up before the next look:
    // go to one after all, rather than wait or give up for a hold that is over (a request only such an endpoint can
    // take is sent, `admitAttempt`). One that frees up sooner (a 429 of 100 ms) is waited for as usual.
    if (!picked && passedOverNow(state, now) && !otherFreesFirst(state, states, now, options.breaker)) {
      state.passedOver = undefined;
      continue;
    }
    if (!picked && pool.length > 0) {
      // Endpoints are up but out of quota: queue for it within bounds, or refuse fast.
      await queueForQuota(context, state, pool, admissible.waitMs, now);
      continue;
    }
    // Nothing can take it now: fail fast before any attempt, else wait for one that frees up soon, or give up.
    if (!picked) {
      await waitForEndpoint(context, state, states, now);
      continue;
    }
    const chosen = originalCandidate(state, picked);
    const admitted = admitAttempt(context, state, chosen, states, now, candidates.length === 1);
    // Another request took the last half-open probe slot between our read and our admit, or is rechecking the
    // endpoint after its hold ran out: choose again.
    if (!(isPromiseLike(admitted) ? await admitted : admitted)) continue;
    reserveQuota(context, state, now);

    const attempted = await startAttempt(context, state);
    // Cut by the shutdown (its pool closed, its caller's connection closed by the host): the endpoint did nothing.
    const shutDownCut = !attempted.ok && cutByShutDown(context, attempted, state.request.signal);
    const outcome = shutDownCut ? { ...attempted, classification: shutDownOutcome } : attempted;
    // What the attempt used of the quota is judged by what happened to it (a pool closed before it left gives it back).
    settleQuotaAttempt(context, state, attempted);
    const recorded = recordOutcome(context, state, outcome);
    const costUsd = isPromiseLike(recorded) ? await recorded : recorded;
    if (outcome.ok) {
      if (state.usageRefusedBy !== undefined) learnRefusal(context.streamOptionsRefusals, state);
      return { outcome, costUsd };
    }
    // It ends here, as the shutdown's, rather than failing over onto a pool that is gone or as its caller's abort.
    if (shutDownCut) {
      state.last = { candidate: chosen, outcome };
      throw new RouterClosedError();
    }
    planRetry(context, state, outcome);
  }
};

/** Does the request pass an endpoint over now, for another request's recheck? */
const passedOverNow = (state: RequestState, now: number): boolean => {
  if (state.passedOver === undefined) return false;
  for (const until of state.passedOver.values()) if (until > now) return true;
  return false;
};

/** Does an endpoint the request did not pass over free up before it would look at those it did again? */
const otherFreesFirst = (state: RequestState, states: readonly EndpointState[], now: number, breaker: BreakerOptions): boolean =>
  wakeTime(state, states, now, breaker, (candidate) => (state.passedOver?.get(candidate.name) ?? 0) <= now) <= now + recheckPollMs;
