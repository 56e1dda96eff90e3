import type { BreakerState } from '../breaker/breaker';
import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import type { EndpointState } from '../ports/state-store';
import type { StreamSettlement } from '../streaming/guard-stream';
import { reportBreakerChange } from './report-breaker-change';
import type { RouterContext } from './router-context';

/**
 * The one place a committed stream's ending is written to its endpoint's breaker. Its first event already counted
 * as a success (`applyAttemptOutcome`, at commit); a stream cut or stalled mid-way is then the endpoint's failure
 * even though it started well. The deadline and a caller who left are not, and a complete stream adds nothing.
 * Counted in whatever closed generation the breaker is in now (a probe that committed may have closed it since).
 */
export const recordStreamOutcome = (context: RouterContext, endpoint: string, settlement: StreamSettlement, now: number): void => {
  if (settlement.cause !== 'upstream' && settlement.cause !== 'stalled') return;
  const { store, options } = context;
  const report = (breaker: BreakerState) => reportBreakerChange(context, endpoint, 'closed', breaker, now);
  const count = (state: EndpointState): MaybePromise<void> => {
    if (state.breaker.position !== 'closed') return;
    const recorded = store.recordResult(endpoint, { outcome: 'failure', generation: state.breaker.generation, probe: false, now }, options.breaker);
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
