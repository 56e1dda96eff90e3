import { awaitStore, stopWaiting, unanswered } from './await-store';
import { isPromiseLike } from '../ports/maybe-promise';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import { noteRefusedAfterQueue } from '../quota/quota-step';
import type { EndpointState } from '../ports/state-store';
import { freeInMs, wakeTime } from './choose-endpoint';
import { giveUp } from './give-up';
import { endWait, startWait } from './router-lifecycle';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';

/**
 * Nothing can take the request now. Before any attempt, fail fast with `NoEndpointAvailableError` saying when the
 * earliest endpoint frees up. After one, sleep only when an endpoint this request may still use frees up within
 * `maxServerDelayMs` and before the deadline (never while another could take it: the pool was empty), and the retry
 * budget grants the retry it waits for; otherwise give up at once. Throws to end the request; resolves when the
 * loop should look again.
 */
export const waitForEndpoint = async (context: RouterContext, state: RequestState, states: readonly EndpointState[], now: number): Promise<void> => {
  const { options } = context;
  const retryAfterMs = freeInMs(state.model, states, now, options.breaker);
  if (state.attempts.length === 0) {
    noteRefusedAfterQueue(context, state, retryAfterMs);
    throw new NoEndpointAvailableError({ retryAfterMs, model: state.model });
  }
  const wakeAt = wakeTime(state, states, now, options.breaker);
  if (!Number.isFinite(wakeAt)) giveUp(state, 'exhausted', retryAfterMs);
  const waitMs = wakeAt - now;
  if (waitMs > options.maxServerDelayMs) giveUp(state, 'exhausted', waitMs);
  if (wakeAt >= state.deadline.at) giveUp(state, 'deadline', waitMs);
  if (!(await payRetryBeforeWait(context, state, now))) giveUp(state, 'budget', waitMs);
  state.waited = true;
  const { last } = state;
  context.emit(() => ({ type: 'retry-wait', endpoint: last?.candidate.name, delayMs: waitMs, reason: last?.outcome.classification.reason ?? '', at: now }));
  await sleepWithin(context, state, waitMs);
};

/**
 * Sleeps `ms` unless the request's deadline or caller, or the router's shutdown, ends the wait first; never throws:
 * the loop's next check says which ended it.
 */
export const sleepWithin = async (context: RouterContext, state: RequestState, ms: number): Promise<void> => {
  const wait = startWait(context.lifecycle, state.deadline.signal);
  try {
    await context.sleep(ms, wait);
  } catch {
    // Aborted: see above.
  } finally {
    endWait(context.lifecycle, wait);
  }
};

/**
 * The retry after a wait draws on the retry budget (`startAttempt`): draws it before the wait, so that a caller
 * never sleeps through a server's delay only to be refused the retry it waited for. False when the budget is spent.
 * A second wait for the same retry (a probe slot taken meanwhile) is already paid; a request that has made no
 * attempt yet waits for its first, which is no retry.
 */
export const payRetryBeforeWait = async (context: RouterContext, state: RequestState, now: number): Promise<boolean> => {
  // A fallback model's first attempt is a new request, not a retry (see `startAttempt`): it waits unpaid.
  if (state.retryPaid || state.last === undefined || state.fellBack) return true;
  const asked = context.store.spendRetry(now, context.options.retryBudget);
  const paid = isPromiseLike(asked) ? await awaitStore(context, state, asked) : asked;
  if (paid === unanswered) stopWaiting(context, state);
  if (!paid) return false;
  state.retryPaid = true;
  return true;
};
