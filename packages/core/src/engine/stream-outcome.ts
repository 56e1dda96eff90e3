import type { BreakerState } from '../breaker/breaker';
import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import type { EndpointState } from '../ports/state-store';
import { recordLatency } from '../selection/peak-ewma';
import type { StreamSettlement } from '../streaming/guard-stream';
import { reportBreakerChange } from './report-breaker-change';
import type { RouterContext } from './router-context';

/** The breaker admission a committed stream ran under. */
export interface StreamBreakerAdmission {
  readonly generation: number;
  /** A half-open probe: its first event already closed the breaker (`applyAttemptOutcome`, at commit). */
  readonly probe: boolean;
}

/** A failing store must not break the ending of the caller's stream (this may run in a timer): the sample is lost. */
const quietly = (written: MaybePromise<unknown>): void => {
  if (isPromiseLike(written)) written.then(undefined, () => undefined);
};

/**
 * The one place a committed stream's ending is written to its endpoint's breaker and latency estimate. Under a
 * closed breaker the ending is the stream's one sample: a complete stream is a success, one cut or stalled mid-way a
 * failure even though it started well. Counting the first event as a success too would make every cut stream a
 * success and a failure, so the breaker would never see failures in a row, nor a failure rate above one half: an
 * endpoint that cuts most of its streams would never trip. A probe's first event did count (a stream closes a
 * half-open breaker when it starts); its cut then counts in whatever closed generation the breaker is in now.
 * The deadline and a caller who left are neither. A cut also charges the latency estimate a failure: the first
 * event's quick arrival must not make a cutting endpoint look cheapest.
 */
export const recordStreamOutcome = (
  context: RouterContext,
  endpoint: string,
  settlement: StreamSettlement,
  admission: StreamBreakerAdmission,
  now: number,
): void => {
  const failed = settlement.cause === 'upstream' || settlement.cause === 'stalled';
  if (!failed && (settlement.outcome !== 'complete' || admission.probe)) return;
  const { store, options } = context;
  if (failed) recordLatency(context.selection.latency, endpoint, { rttMs: 0, failed, now }, options.latency);
  const report = (breaker: BreakerState) => reportBreakerChange(context, endpoint, 'closed', breaker, now);
  const record = (generation: number): MaybePromise<void> => {
    const recorded = store.recordResult(endpoint, { outcome: failed ? 'failure' : 'success', generation, probe: false, now }, options.breaker);
    return isPromiseLike(recorded) ? recorded.then(report) : report(recorded);
  };
  const recordInCurrent = (state: EndpointState): MaybePromise<void> =>
    state.breaker.position === 'closed' ? record(state.breaker.generation) : undefined;
  try {
    if (!admission.probe) return quietly(record(admission.generation));
    const current = store.read(endpoint);
    quietly(isPromiseLike(current) ? current.then(recordInCurrent) : recordInCurrent(current));
  } catch {
    // As `quietly`: the sample is lost.
  }
};
