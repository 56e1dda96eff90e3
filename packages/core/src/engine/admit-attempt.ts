import { awaitStore, stopWaiting, unanswered } from './await-store';
import type { BreakerAdmission, BreakerPosition } from '../breaker/breaker';
import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import type { EndpointState } from '../ports/state-store';
import { handBackProbe } from './release-held';
import { markTried, type RequestState } from './request-state';
import { reportBreakerChange } from './report-breaker-change';
import type { RouterContext } from './router-context';
import type { Candidate } from './serving-endpoints';

/**
 * Asks the chosen endpoint's breaker to admit an attempt (taking a half-open probe slot when it grants one) and
 * makes it the request's current attempt. False when another request took the last probe slot between our read
 * and our admit: the endpoint counts as tried and the loop chooses again. Synchronous with a synchronous store.
 */
export const admitAttempt = (
  context: RouterContext,
  state: RequestState,
  chosen: Candidate,
  states: readonly EndpointState[],
  now: number,
): MaybePromise<boolean> => {
  const before = states[state.serving.indexOf(chosen)]!.breaker.position;
  const admitted = context.store.admit(chosen.name, now, context.options.breaker);
  if (!isPromiseLike(admitted)) return takeAdmission(context, state, chosen, before, admitted, now);
  return awaitStore(context, state, admitted).then((admission) => {
    if (admission !== unanswered) return takeAdmission(context, state, chosen, before, admission, now);
    // The request stopped waiting: a probe slot the store grants after all goes back, else it would keep every
    // request from probing the endpoint until `breaker.probeTimeoutMs`; the breaker's move is reported all the same.
    admitted.then((late) => {
      reportBreakerChange(context, chosen.name, before, late.state, now);
      if (late.admitted && late.probe) handBackProbe(context, chosen.name, late, now);
    }, () => undefined);
    return stopWaiting(context, state);
  });
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
    markTried(state, chosen.name);
    return false;
  }
  state.chosen = chosen;
  state.admission = admission;
  state.attemptStartedAt = now;
  state.holdsProbe = admission.probe;
  return true;
};
