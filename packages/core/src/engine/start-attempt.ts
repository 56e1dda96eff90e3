import { awaitStore, stopWaiting, unanswered } from './await-store';
import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import { trackPending } from '../selection/peak-ewma';
import { buildAttemptRequest } from './attempt-request';
import { RouterClosedError } from '../errors/router-closed-error';
import { giveUp } from './give-up';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import { runAttempt, type AttemptOutcome } from './run-attempt';
import { sendsAddedUsage } from './stream-options-refusal';

const encoder = new TextEncoder();

/**
 * Sends the admitted attempt: draws on the retry budget when it is a retry that must, announces a failover, then
 * runs it on the transport with the attempt counted as pending. Awaits nothing of its own with a synchronous store.
 */
export const startAttempt = (context: RouterContext, state: RequestState): Promise<AttemptOutcome> => {
  const drawn = drawRetryBudget(context, state);
  return isPromiseLike(drawn) ? drawn.then(() => send(context, state)) : send(context, state);
};

/**
 * A retry after a wait, on an endpoint this request already tried, or a failover after server distress draws on
 * the retry budget; moving on at once to an endpoint not yet asked after a 429 or a quota error does not: that
 * endpoint did no work and gets no load. Spent only here, once an attempt is certain to follow.
 */
const drawRetryBudget = (context: RouterContext, state: RequestState): MaybePromise<void> => {
  const { last } = state;
  if (!last) return undefined;
  // A fallback model is asked a question its predecessor refused to answer: a new request, not a retry.
  if (state.fellBack) {
    state.fellBack = false;
    return announceFailover(context, state, true);
  }
  if (state.retryPaid) return announceFailover(context, state, true);
  // Tried before, not only the last one: in an outage of zero-delay 429s (`Retry-After: 0`) a request went round
  // every endpoint and back to the first without drawing on the budget.
  const samePlace = state.tried?.has(state.chosen!.name) === true;
  if (!(state.waited || samePlace || last.outcome.classification.breaker === 'failure')) return announceFailover(context, state, true);
  const spent = context.store.spendRetry(state.attemptStartedAt, context.options.retryBudget);
  if (!isPromiseLike(spent)) return announceFailover(context, state, spent);
  return awaitStore(context, state, spent).then((granted) => (granted === unanswered ? stopWaiting(context, state) : announceFailover(context, state, granted)));
};

const announceFailover = ({ emit }: RouterContext, state: RequestState, granted: boolean): void => {
  if (!granted) giveUp(state, 'budget');
  const from = state.last!.candidate.name;
  const to = state.chosen!.name;
  if (from !== to) emit(() => ({ type: 'failover', from, to, reason: state.last!.outcome.classification.reason, at: state.attemptStartedAt }));
};

const send = (context: RouterContext, state: RequestState): Promise<AttemptOutcome> => {
  // Shut down while the store answered (a Redis round trip): no attempt starts after it. What the admission holds
  // (a probe slot) goes back with the request's ending (`releaseHeld`).
  if (context.lifecycle.shutDown) throw new RouterClosedError();
  // Nor after the caller left or the deadline passed while it answered (attack 23): an attempt the transport would
  // only abort, with an event, a probe slot and a retry spent on it.
  if (state.deadline.signal.aborted) stopWaiting(context, state);
  const { options, clock, emit } = context;
  const chosen = state.chosen!;
  const now = state.attemptStartedAt;
  const { prepared } = state;
  state.waited = false;
  state.retryPaid = false;
  state.retryOnce = undefined;
  const attempt = state.attempts.length + 1;
  emit(() => ({ type: 'attempt-start', endpoint: chosen.name, attempt, model: state.model, api: state.api, at: now }));
  // Usage Detour asks for, unless this endpoint refuses the field: it is sent the caller's body as it came.
  state.sentAddedUsage = sendsAddedUsage(context.streamOptionsRefusals, state, chosen);
  const plain = prepared.callerBody !== undefined && !state.sentAddedUsage;
  const built = buildAttemptRequest(chosen.endpoint, prepared, chosen.upstreamModel, state, plain);
  const rewritten = state.rewriteBody?.(chosen, plain);
  // Bytes, as every body the transport gets: undici holds the body it is given for as long as the answer lasts, and
  // text also as an encoded copy beside it.
  const request = rewritten === undefined ? built : { ...built, body: encoder.encode(rewritten) };
  trackPending(context.selection.latency, chosen.name, 1, now, options.latency);
  state.holdsPending = true;
  return runAttempt({
    transport: context.transport,
    request,
    clock,
    requestSignal: state.deadline.signal,
    callerSignal: state.request.signal,
    attemptTimeoutMs: options.attemptTimeoutMs,
    deadlineMs: options.deadlineMs,
    firstByteTimeoutMs: prepared.stream ? options.firstByteTimeoutMs : undefined,
    bodyIdleTimeoutMs: options.bodyIdleTimeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    describeTransportError: context.describeTransportError,
    provider: chosen.endpoint.provider,
    upstreamModel: chosen.upstreamModel ?? state.model,
    jsonRoute: prepared.jsonRoute,
    answerShape: prepared.answerShape,
    choices: prepared.choices,
    knownStreamRoute: prepared.knownStreamRoute,
    scrub: context.scrub,
  });
};
