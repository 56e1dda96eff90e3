import { LinkedAbortSource } from '../budget/abort-source';
import { RouterClosedError } from '../errors/router-closed-error';
import type { CallerSignal } from '../ports/caller-signal';
import type { DescribeTransportError } from '../ports/transport';
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

/** Ends a wait {@link startWait} began: it no longer follows the request's signal or the shutdown. */
export const endWait = (lifecycle: RouterLifecycle, wait: LinkedAbortSource): void => {
  wait.unlink();
  lifecycle.waits.delete(wait);
};

/**
 * An attempt the shutdown cut: it ended `aborted` (its pool closed under it, or its caller's connection closed by
 * the host) after the shutdown. Neutral for its endpoint already; the request ends `router_closed`, not `aborted`.
 * A failure the endpoint caused (an error answer, garbage, a timeout) is the endpoint's, shutdown or not.
 */
export const cutByShutDown = (lifecycle: RouterLifecycle, outcome: AttemptFailure): boolean =>
  lifecycle.shutDown && outcome.classification.kind === 'aborted';

/**
 * A stream that ended short after the shutdown, because of it: its caller's connection closed (the gateway closes
 * them when its grace runs out) or its pool closed under it (`describe` names the binding's `closed` pool). Settled
 * as `shutdown`: counted against no endpoint, not rescued. A cut the upstream made, a stall or the deadline keeps its
 * own cause though it is read after the shutdown; a whole answer stays whole.
 */
export const settledAfterShutDown = (lifecycle: RouterLifecycle, describe: DescribeTransportError, settlement: StreamSettlement): StreamSettlement => {
  if (!lifecycle.shutDown || settlement.outcome === 'complete') return settlement;
  const cut = settlement.cause === 'caller' || (settlement.cause === 'upstream' && settlement.error?.cause !== undefined && describe(settlement.error.cause).closed === true);
  return cut ? { ...settlement, outcome: 'cancelled', cause: 'shutdown' } : settlement;
};
