import { guardStream } from '../streaming/guard-stream';
import { createUsageChunkFilter } from '../streaming/usage-chunk-filter';
import { createRescueStream, isRescuable } from './rescue-stream';
import type { RequestState } from './request-state';
import { learnPins, storageOf } from './response-pinning';
import type { RouterContext } from './router-context';
import type { RouteResult } from './router';
import type { AttemptSuccess } from './run-attempt';
import { settleRequest } from './settle-request';
import { settleStream } from './settle-stream';

const noCancel = (): void => undefined;

/**
 * Hands the served attempt to the caller. A JSON answer settles the request now; a stream is wrapped in its guard,
 * which owns it from here and settles the request through `settleStream` however it ends. A chat completion stream
 * that may be rescued mid-way gets the rescue stream instead (`rescue-stream.ts`), which guards each segment.
 */
export const serveResult = (context: RouterContext, state: RequestState, outcome: AttemptSuccess, costUsd: number | undefined): RouteResult => {
  const chosen = state.chosen!;
  if (state.api === 'responses') learnPins(context, state, storageOf(chosen.endpoint), outcome);
  // Every result is built by `result` with the same fields in the same order: one object shape, no spread.
  const result = (body: Uint8Array | undefined, stream: RouteResult['stream'], cancel: RouteResult['cancel']): RouteResult => ({
    status: outcome.status, headers: outcome.headers, endpoint: chosen.name, model: state.model, upstreamModel: chosen.upstreamModel,
    attempts: state.attempts, usage: outcome.usage, costUsd, body, stream, cancel,
  });
  if (!outcome.stream) {
    settleRequest(context, state, true, chosen.name, undefined, outcome.firstByteMs);
    return result(outcome.body, undefined, noCancel);
  }
  const { options, clock } = context;
  // Under `streamDeadline: 'first-byte'` the deadline has done its job once the stream commits: a long answer
  // that keeps moving is bounded by the idle timeout, not cut at ten minutes. Its signal still follows the caller.
  if (options.streamDeadline === 'first-byte') state.deadline.disarm();
  if (isRescuable(options.rescue, state.prepared)) {
    const stream = createRescueStream(context, state, outcome);
    state.holdsPending = false;
    state.heldStream = undefined;
    return result(undefined, stream, (reason) => void stream.return?.(reason));
  }
  const { head, iterator, watcher } = outcome.stream;
  const stream = guardStream({
    endpoint: chosen.name, head, iterator, watcher,
    filter: state.prepared.stripUsage ? createUsageChunkFilter() : undefined,
    clock,
    idleTimeoutMs: options.streamIdleTimeoutMs,
    signal: state.deadline.signal,
    callerSignal: state.request.signal,
    cancel: (reason) => {
      outcome.abort(reason);
      outcome.response.cancel(reason);
    },
    onSettle: (settlement) => settleStream(context, state, chosen, outcome, settlement),
  });
  // The stream now belongs to its guard, which releases it however it ends.
  state.holdsPending = false;
  state.heldStream = undefined;
  return result(undefined, stream, (reason) => void stream.return?.(reason));
};
