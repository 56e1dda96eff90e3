import { awaitStore, awaitWithin, stopWaiting, storeGraceMs, unanswered } from './await-store';
import type { BreakerAdmission, BreakerPosition } from '../breaker/breaker';
import { claimRecheck, recheckPollMs } from '../cooldown/rechecks';
import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import type { EndpointState } from '../ports/state-store';
import { endClaim, handBackProbe } from './release-held';
import { markTried, type RequestState } from './request-state';
import { reportBreakerChange } from './report-breaker-change';
import type { RouterContext } from './router-context';
import type { Candidate } from './serving-endpoints';

/**
 * Asks the chosen endpoint's breaker to admit an attempt (taking a half-open probe slot when it grants one) and
 * makes it the request's current attempt. False when another request took the last probe slot between our read
 * and our admit: the endpoint counts as tried and the loop chooses again. False too while another request rechecks
 * the endpoint after its hold ran out (`rechecks.ts`) and another endpoint can take this one (`alone` false): the
 * request passes it over (`RequestState.passedOver`), and may come back to it after `recheckPollMs`, or at once when
 * it has nowhere else to go (`runAttemptLoop`). A request only this endpoint can take is sent all the same: it would
 * otherwise be refused for a hold that is over. Synchronous with a synchronous store.
 */
export const admitAttempt = (
  context: RouterContext,
  state: RequestState,
  chosen: Candidate,
  states: readonly EndpointState[],
  now: number,
  alone: boolean,
): MaybePromise<boolean> => {
  const endpointState = states[state.serving.indexOf(chosen)]!;
  const claim = claimRecheck(context.rechecks, context.refusalStreaks, chosen.name, state, endpointState, now, context.options.breaker.probeTimeoutMs);
  if (claim === 'wait' && !alone) {
    // Passed over, not tried: coming back to it is no retry (`drawRetryBudget`), and no better tier to wait for.
    (state.passedOver ??= new Map()).set(chosen.name, now + recheckPollMs);
    return false;
  }
  state.recheck = claim === 'wait' ? undefined : claim;
  const before = endpointState.breaker.position;
  const admitted = context.store.admit(chosen.name, now, context.options.breaker);
  if (!isPromiseLike(admitted)) return takeAdmission(context, state, chosen, before, admitted, now);
  return awaitStore(context, state, admitted).then(async (admission) => {
    if (admission !== unanswered) return takeAdmission(context, state, chosen, before, admission, now);
    endClaim(context, state, now);
    // The request stopped waiting (its deadline, its caller, the shutdown). A probe slot the store grants after all
    // goes back, else it would keep every request from probing the endpoint until `breaker.probeTimeoutMs`: within
    // the grace, before the request ends (a drain may be waiting on it), else whenever the store answers.
    const graceEnds = context.clock.now() + storeGraceMs;
    const late = await awaitWithin(context.clock, admitted).catch((): typeof unanswered => unanswered);
    if (late === unanswered) admitted.then((granted) => handBackLate(context, chosen.name, before, granted), () => undefined);
    else await awaitWithin(context.clock, handBackLate(context, chosen.name, before, late) ?? Promise.resolve(), graceEnds - context.clock.now());
    return stopWaiting(context, state);
  });
};

/** Reports a late admission's breaker move and hands back the probe slot it granted, if it did. */
const handBackLate = (context: RouterContext, endpoint: string, before: BreakerPosition, admission: BreakerAdmission): MaybePromise<void> => {
  const now = context.clock.now();
  reportBreakerChange(context, endpoint, before, admission.state, now);
  return admission.admitted && admission.probe ? handBackProbe(context, endpoint, admission, now) : undefined;
};

const takeAdmission = (
  context: RouterContext,
  state: RequestState,
  chosen: Candidate,
  before: BreakerPosition,
  admission: BreakerAdmission,
  now: number,
): boolean => {
  reportBreakerChange(context, chosen.name, before, admission.state, now);
  if (!admission.admitted) {
    endClaim(context, state, now);
    markTried(state, chosen.name);
    return false;
  }
  state.chosen = chosen;
  state.admission = admission;
  state.attemptStartedAt = now;
  state.holdsProbe = admission.probe;
  return true;
};
