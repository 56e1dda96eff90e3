import { guardStream } from '../streaming/guard-stream';
import { createUsageChunkFilter } from '../streaming/usage-chunk-filter';
import { createRescueStream, isRescuable } from './rescue-stream';
import type { RequestState } from './request-state';
import { learnPins, storageOf } from './response-pinning';
import type { RouterContext } from './router-context';
import type { RouteResult } from './router';
import type { AttemptSuccess } from './run-attempt';
import { settleRequest } from './settle-request';
import { cancelAttempt, settleStream, settlingAttempt } from './settle-stream';
import type { Candidate } from './serving-endpoints';

const noCancel = (): void => undefined;

/**
 * Hands the served attempt to the caller. A JSON answer settles the request now; a stream is wrapped in its guard,
 * which owns it from here and settles the request through `settleStream` however it ends. A chat completion stream
 * that may be rescued mid-way gets the rescue stream instead (`rescue-stream.ts`), which guards each segment.
 */
export const serveResult = (context: RouterContext, state: RequestState, outcome: AttemptSuccess, costUsd: number | undefined): RouteResult => {
  const chosen = state.chosen!;
  if (state.api === 'responses') learnPins(context, state, storageOf(chosen.endpoint), outcome);
  if (!outcome.stream) {
    settleRequest(context, state, true, chosen.name, undefined, outcome.firstByteMs);
    return result(state, chosen, outcome, requestCost(state, costUsd), outcome.body, undefined, noCancel);
  }
  const { options } = context;
  // Under `streamDeadline: 'first-byte'` the deadline has done its job once the stream commits: a long answer
  // that keeps moving is bounded by the idle timeout, not cut at ten minutes. Its signal still follows the caller.
  if (options.streamDeadline === 'first-byte') state.deadline.disarm();
  const rescuable = isRescuable(options.rescue, state.prepared);
  const stream = rescuable ? createRescueStream(context, state, outcome) : guardServed(context, state, chosen, outcome);
  // The stream now belongs to its guard, which releases it however it ends.
  state.holdsPending = false;
  state.heldStream = undefined;
  // A stream keeps its state for its whole life; what only the routing loop read goes now. Three can be large: the
  // parsed body (a second copy of the prompt), a renamed copy of the prompt per upstream model name tried, and the
  // last failure with its error body. A stream that may be rescued keeps the bytes it was sent, which a rescue
  // replays, or parses again to rename or continue (`withParsedBody`).
  state.prepared = { ...state.prepared, json: undefined, body: rescuable ? state.prepared.body : undefined };
  state.bodyCache = undefined;
  state.last = undefined;
  state.admission = undefined;
  return result(state, chosen, outcome, costUsd, undefined, stream, (reason) => void stream.return?.(reason));
};

/**
 * What the request cost: the served attempt and every attempt before it that was priced (a failed attempt the
 * provider billed, such as a cut or malformed answer). Undefined when the served attempt has no price, so that a
 * partial sum is never shown as the whole.
 */
const requestCost = (state: RequestState, servedUsd: number | undefined): number | undefined => {
  if (servedUsd === undefined) return undefined;
  let total = 0;
  for (const attempt of state.attempts) total += attempt.costUsd ?? 0;
  return total;
};

// Every result is built here with the same fields in the same order: one object shape, no spread.
const result = (
  state: RequestState, chosen: Candidate, outcome: AttemptSuccess, costUsd: number | undefined,
  body: Uint8Array | undefined, stream: RouteResult['stream'], cancel: RouteResult['cancel'],
): RouteResult => ({
  status: outcome.status, headers: outcome.headers, endpoint: chosen.name, model: state.model, upstreamModel: chosen.upstreamModel,
  attempts: state.attempts, usage: outcome.usage, costUsd, body, stream, cancel,
});

/**
 * A stream that will not be rescued, in its guard. A function of its own so that the guard's closures keep the
 * attempt's `abort`, `response` and `release` for the stream's life, not the whole outcome (headers,
 * classification, the chunks read before commit).
 */
const guardServed = (context: RouterContext, state: RequestState, chosen: Candidate, outcome: AttemptSuccess): AsyncIterableIterator<Uint8Array> => {
  const { head, iterator, watcher, raw } = outcome.stream!;
  const attempt = settlingAttempt(state, outcome);
  return guardStream({
    endpoint: chosen.name, head, iterator, watcher, raw,
    filter: state.prepared.stripUsage ? createUsageChunkFilter() : undefined,
    scrub: context.scrub,
    clock: context.clock,
    idleTimeoutMs: context.options.streamIdleTimeoutMs,
    progressTimeoutMs: context.options.deadlineMs,
    signal: state.deadline.signal,
    callerSignal: state.request.signal,
    cancel: cancelAttempt(outcome),
    onSettle: (settlement) => settleStream(context, state, chosen, attempt, settlement),
  });
};
