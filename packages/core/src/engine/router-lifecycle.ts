import { LinkedAbortSource } from '../budget/abort-source';
import { RouterClosedError } from '../errors/router-closed-error';
import type { CallerSignal } from '../ports/caller-signal';
import type { StreamSettlement } from '../streaming/guard-stream';
import type { AttemptFailure } from './run-attempt';

/**
 * Whether the router was shut down (`Router.shutDown`), and the waits in progress that a shutdown ends. Only a wait
 * registers here, for as long as it waits: a request that never waits costs the hot path one flag read.
 */
export interface RouterLifecycle {
  shutDown: boolean;
  readonly waits: Set<LinkedAbortSource>;
}

export const createRouterLifecycle = (): RouterLifecycle => ({ shutDown: false, waits: new Set() });


/**
 * Shuts the router down: every wait in progress (a backoff, a better tier, the admission queue) ends at once, and
 * whatever ends from now on is settled as the shutdown's doing, never an endpoint's (see {@link Router.shutDown}).
 */
export const shutDownRouter = (lifecycle: RouterLifecycle): void => {
  if (lifecycle.shutDown) return;
  lifecycle.shutDown = true;
  const error = new RouterClosedError();
  for (const wait of lifecycle.waits) wait.abort(error);
  lifecycle.waits.clear();
};

/**
 * A signal for one wait of a request: it aborts when the request's own does (its deadline, its caller) or when the
 * router is shut down. Pass it to {@link endWait} once the wait is over, whichever way it ended.
 */
export const startWait = (lifecycle: RouterLifecycle, signal: CallerSignal): LinkedAbortSource => {
  const wait = new LinkedAbortSource(signal);
  if (lifecycle.shutDown) wait.abort(new RouterClosedError());
  else lifecycle.waits.add(wait);
  return wait;
};

export const endWait = (lifecycle: RouterLifecycle, wait: LinkedAbortSource): void => {
  wait.unlink();
  lifecycle.waits.delete(wait);
};

/**
 * An attempt that failed without an answer after the shutdown (its pool destroyed, its caller's connection closed
 * by the host) failed because of the shutdown: neutral for the endpoint, as a caller's abort is. An answer the
 * endpoint gave (a 503, a 400) is the endpoint's, shutdown or not.
 */
export const failedByShutDown = (lifecycle: RouterLifecycle, outcome: AttemptFailure): boolean =>
  lifecycle.shutDown && outcome.error !== undefined;

/**
 * A stream that ends short after the shutdown was cut by it, whatever reported the cut first (the destroyed pool as
 * the upstream's, the closed connection as the caller's): settled as `shutdown`, which counts against no endpoint
 * and is not rescued. A whole answer stays whole.
 */
export const settledAfterShutDown = (lifecycle: RouterLifecycle, settlement: StreamSettlement): StreamSettlement =>
  lifecycle.shutDown && settlement.outcome !== 'complete' && settlement.cause !== 'shutdown'
    ? { ...settlement, outcome: 'cancelled', cause: 'shutdown' }
    : settlement;
