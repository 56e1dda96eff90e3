import { LinkedAbortSource } from '../budget/abort-source';
import { classification } from '../classification/classification';
import { kindPolicies } from '../classification/outcome-kind';
import { RouterClosedError } from '../errors/router-closed-error';
import type { CallerSignal } from '../ports/caller-signal';
import type { DescribeTransportError } from '../ports/transport';
import type { StreamSettlement } from '../streaming/guard-stream';
import type { RouterContext } from './router-context';
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
 * Whether the host aborted a caller's signal because of its shutdown: the gateway aborts a request's caller signal
 * with a {@link RouterClosedError} when its grace runs out and it closes the connection, where a caller who leaves
 * aborts it with another reason. Only after `shutDown()`: a caller's own reason that happens to carry the code (one
 * forwarded from another router) is its own. By the code, as any copy of core's error has it.
 */
export const closedByShutDown = (lifecycle: RouterLifecycle, signal: CallerSignal | undefined): boolean =>
  lifecycle.shutDown && signal?.aborted === true && (signal.reason as { code?: unknown } | null | undefined)?.code === 'router_closed';

/**
 * An attempt the shutdown cut: after `shutDown()`, its pool closed under it (the binding marks the error `closed`),
 * or the host closed its caller's connection ({@link closedByShutDown}). Its endpoint did nothing wrong, and its
 * request ends `router_closed`. A failure the endpoint caused (an error answer, garbage, a timeout), or a caller's own
 * abort, is what it is, shutdown or not.
 */
export const cutByShutDown = (context: Pick<RouterContext, 'lifecycle' | 'describeTransportError'>, outcome: AttemptFailure, callerSignal: CallerSignal | undefined): boolean => {
  if (!context.lifecycle.shutDown) return false;
  if (outcome.classification.kind === 'aborted') return closedByShutDown(context.lifecycle, callerSignal);
  // Before its answer or in the middle of its body: either way the pool went, not the endpoint.
  return outcome.error !== undefined && context.describeTransportError(outcome.error).closed === true;
};

/** What an attempt the shutdown cut comes to: neutral for its endpoint, as a caller's abort is. */
export const shutDownOutcome = classification('aborted', kindPolicies.aborted, { reason: 'cut by the router\'s shutdown' });

/**
 * A stream that ended short because of the shutdown: the host closed its caller's connection
 * ({@link closedByShutDown}), or after `shutDown()` its pool closed under it (`describe` names the binding's `closed`
 * pool). Settled as `shutdown`: counted against no endpoint, not rescued. A cut the upstream made, a stall, the
 * deadline or a caller's own leaving keeps its own cause though it comes after the shutdown; a whole answer stays whole.
 */
export const settledAfterShutDown = (
  lifecycle: RouterLifecycle, describe: DescribeTransportError, settlement: StreamSettlement, callerSignal: CallerSignal | undefined,
): StreamSettlement => {
  if (!lifecycle.shutDown || settlement.outcome === 'complete') return settlement;
  const cut = settlement.cause === 'caller'
    ? closedByShutDown(lifecycle, callerSignal)
    : settlement.cause === 'upstream' && settlement.error?.cause !== undefined && describe(settlement.error.cause).closed === true;
  return cut ? { ...settlement, outcome: 'cancelled', cause: 'shutdown' } : settlement;
};
