import { RouterClosedError } from '../errors/router-closed-error';
import type { Clock } from '../ports/clock';
import { giveUp } from './give-up';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import { closedByShutDown, endWait, startWait } from './router-lifecycle';

/** What {@link awaitStore} (or {@link awaitWithin}) comes to when the request stopped waiting before its store answered. */
export const unanswered: unique symbol = Symbol('unanswered');

/**
 * How long a request that has stopped waiting still gives its store to hear what it hands back (a probe slot, one
 * granted meanwhile): a call in flight then is usually a round trip from its answer, and the hand-back keeps its
 * place before the request's end, where a drain may be waiting to close the process.
 */
export const storeGraceMs = 1_000;

/**
 * Awaits a store's answer for as long as the request may wait: until its deadline, its caller's leaving or the
 * router's shutdown, whichever comes first; then resolves {@link unanswered}, and the caller ends the request with
 * {@link stopWaiting}. `StateStore` is a port that any code may implement: one whose call never settled held its
 * request past `deadlineMs`, its caller's abort and `shutDown()` (attack 23). The shipped stores bound their own
 * calls (Redis 200 ms, Durable Objects 1 s), so this is a bound for the others. A later answer is dropped, a later
 * failure swallowed. Only a store that answers with a promise gets here: a synchronous one costs nothing.
 */
export const awaitStore = <T>(context: RouterContext, state: RequestState, answer: PromiseLike<T>): Promise<T | typeof unanswered> => {
  const wait = startWait(context.lifecycle, state.deadline.signal);
  return new Promise<T | typeof unanswered>((resolve, reject) => {
    const stop = () => resolve(unanswered);
    if (wait.aborted) stop();
    else wait.addEventListener('abort', stop);
    answer.then(resolve, reject);
  }).finally(() => endWait(context.lifecycle, wait));
};

/**
 * Awaits what a request hands back to its store as it ends (see {@link storeGraceMs}) for at most `ms`, whatever
 * ended the request; {@link unanswered} past it. A background timer: it keeps no process alive.
 */
export const awaitWithin = <T>(clock: Clock, answer: PromiseLike<T>, ms = storeGraceMs): Promise<T | typeof unanswered> => {
  let timer: unknown;
  return new Promise<T | typeof unanswered>((resolve, reject) => {
    timer = clock.schedule(() => resolve(unanswered), ms, true);
    answer.then(resolve, reject);
  }).finally(() => clock.cancel(timer));
};

/**
 * Ends a request that has stopped waiting (its deadline, its caller, the shutdown; see {@link awaitStore}), as the
 * attempt loop ends one: a caller's connection the host closed at its shutdown is the shutdown's doing, not the
 * caller's. Only throws.
 */
export const stopWaiting = (context: RouterContext, state: RequestState): never => {
  const { signal } = state.deadline;
  if (!signal.aborted || closedByShutDown(context.lifecycle, state.request.signal)) throw new RouterClosedError();
  return giveUp(state, state.request.signal?.aborted ? 'aborted' : 'deadline');
};
