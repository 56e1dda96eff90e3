import { RouterClosedError } from '../errors/router-closed-error';
import { giveUp } from './give-up';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import { closedByShutDown, endWait, startWait } from './router-lifecycle';

/** What {@link awaitStore} comes to when the request stopped waiting before its store answered. */
export const unanswered: unique symbol = Symbol('unanswered');

/**
 * How long a store call still has once the request has stopped waiting (its deadline passed, its caller left, the
 * router shut down). A call in flight then is usually a round trip from its answer, and the steps after it keep
 * their order: a probe slot handed back before the request ends, a slot granted meanwhile handed back at all.
 */
export const storeGraceMs = 1_000;

/**
 * Awaits a store's answer for as long as the request may wait: until its deadline, its caller's leaving or the
 * router's shutdown, whichever comes first, and {@link storeGraceMs} more; then resolves {@link unanswered}.
 * `StateStore` is a port that any code may implement: one whose call never settled held its request past
 * `deadlineMs`, its caller's abort and `shutDown()` (attack 23). The shipped stores bound their own calls (Redis
 * 200 ms, Durable Objects 1 s), so this is a bound for the others. A later answer is dropped, a later failure
 * swallowed. Only a store that answers with a promise gets here: a synchronous one costs nothing.
 */
export const awaitStore = <T>(context: RouterContext, state: RequestState, answer: PromiseLike<T>): Promise<T | typeof unanswered> => {
  const { clock, lifecycle } = context;
  const wait = startWait(lifecycle, state.deadline.signal);
  let grace: unknown;
  return new Promise<T | typeof unanswered>((resolve, reject) => {
    const stop = () => (grace = clock.schedule(() => resolve(unanswered), storeGraceMs, true));
    if (wait.aborted) stop();
    else wait.addEventListener('abort', stop);
    answer.then(resolve, reject);
  }).finally(() => {
    endWait(lifecycle, wait);
    if (grace !== undefined) clock.cancel(grace);
  });
};

/**
 * Ends a request that stopped waiting for its store (see {@link awaitStore}) as the attempt loop would have: the
 * shutdown's, the caller's or the deadline's. Only throws.
 */
export const stopWaiting = (context: RouterContext, state: RequestState): never => {
  const { signal } = state.deadline;
  if (!signal.aborted || closedByShutDown(context.lifecycle, state.request.signal)) throw new RouterClosedError();
  return giveUp(state, state.request.signal?.aborted ? 'aborted' : 'deadline');
};
