import type { BreakerState } from '../breaker/breaker';
import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import type { EndpointState } from '../ports/state-store';
import { recordLatency } from '../selection/peak-ewma';
import type { StreamSettlement } from '../streaming/guard-stream';
import { reportBreakerChange } from './report-breaker-change';
import type { RouterContext } from './router-context';

/** The breaker admission a committed stream ran under, and when its first event counted as a success. */
export interface StreamBreakerAdmission {
  readonly generation: number;
  readonly probe: boolean;
  readonly committedAt: number;
}

/**
 * The one place a committed stream's ending is written to its endpoint's breaker and latency estimate. Its first
 * event counted as a success (`applyAttemptOutcome`, at commit: the endpoint answered, and a long stream must not
 * leave its breaker with only the failures of other requests until it ends). A stream cut or stalled mid-way is the
 * endpoint's failure even though it started well, and the failure takes that success's place in the window rather
 * than adding to it: counted as a success and a failure, an endpoint that cut most of its streams never showed a
 * failure rate above one half and its breaker never opened. When the breaker has moved on since (a probe's success
 * closed it, or it opened), the failure counts in whatever closed generation it is in now. The deadline and a
 * caller who left are neither. A cut also charges the latency estimate a failure: the first event's quick arrival
 * must not make a cutting endpoint look cheapest. A complete stream adds nothing.
 */
export const recordStreamOutcome = (
  context: RouterContext,
  endpoint: string,
  settlement: StreamSettlement,
  admission: StreamBreakerAdmission,
  now: number,
): void => {
  if (settlement.cause !== 'upstream' && settlement.cause !== 'stalled') return;
  const { store, options } = context;
  recordLatency(context.selection.latency, endpoint, { rttMs: 0, failed: true, now }, options.latency);
  const report = (breaker: BreakerState) => reportBreakerChange(context, endpoint, 'closed', breaker, now);
  const count = (state: EndpointState): MaybePromise<void> => {
    const { position, generation } = state.breaker;
    if (position !== 'closed') return;
    const replacesSuccessAt = generation === admission.generation ? admission.committedAt : undefined;
    const recorded = store.recordResult(endpoint, { outcome: 'failure', generation, probe: false, now, replacesSuccessAt }, options.breaker);
    return isPromiseLike(recorded) ? recorded.then(report) : report(recorded);
  };
  // A failing store must not break the ending of the caller's stream (this may run in a timer): the sample is lost.
  try {
    const current = store.read(endpoint);
    const counted = isPromiseLike(current) ? current.then(count) : count(current);
    if (isPromiseLike(counted)) counted.then(undefined, () => undefined);
  } catch {
    // As above.
  }
};
