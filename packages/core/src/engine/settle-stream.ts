import { isGenerationRoute } from '../apis/api-name';
import { trackPending } from '../selection/peak-ewma';
import type { SseWatcher } from '../streaming/sse-watcher';
import type { StreamEndCause, StreamSettlement } from '../streaming/guard-stream';
import type { RouterEvent } from './events';
import { streamedUsage } from './estimate-usage';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import type { AttemptSuccess } from './run-attempt';
import type { Candidate } from './serving-endpoints';
import { settleRequest } from './settle-request';
import { settledAfterShutDown, shutDownOutcome } from './router-lifecycle';
import { recordStreamOutcome, type StreamBreakerAdmission } from './stream-outcome';
import { settleQuotaStream } from '../quota/quota-step';

/**
 * What a settling stream needs of its attempt. Only this is kept for a stream's life, not the whole
 * {@link AttemptSuccess}: its headers, classification and the chunks read before commit can go once it is served.
 */
export type SettlingAttempt = Pick<AttemptSuccess, 'release' | 'firstByteMs'> & {
  readonly breaker: StreamBreakerAdmission;
  /** When the attempt started: a stream's `stream-end` measures from it. */
  readonly startedAt: number;
  /** A binary answer relayed as it came: not priced, as a binary answer read whole is not. */
  readonly raw: boolean;
};

/**
 * What a stream keeps of its attempt once committed: with the breaker admission the request's current attempt ran
 * under, and when its first event counted as the endpoint's success.
 */
export const settlingAttempt = ({ admission, committedAt, attemptStartedAt }: RequestState, { release, firstByteMs, stream }: AttemptSuccess): SettlingAttempt => ({
  release, firstByteMs, breaker: { generation: admission!.generation, probe: admission!.probe, committedAt }, startedAt: attemptStartedAt,
  raw: stream?.raw === true,
});

/**
 * Cancels a committed stream's attempt: aborts its transport and cancels its body. Made apart from the caller's
 * scope so the function keeps the attempt's `abort` and `response` alone, not the whole outcome.
 */
export const cancelAttempt = ({ abort, response }: Pick<AttemptSuccess, 'abort' | 'response'>): ((reason: unknown) => void) => (reason) => {
  abort(reason);
  response.cancel(reason);
};

/** The cost outcome of a settled stream: a caller who left is neither a success nor the provider's failure. */
const costOutcomes = { complete: 'success', interrupted: 'failed', cancelled: 'abandoned' } as const;

type StreamEndOutcome = Extract<RouterEvent, { type: 'stream-end' }>['outcome'];

// The `stream-end` outcome of each cause of an incomplete stream.
const endOutcomes: Readonly<Record<StreamEndCause, StreamEndOutcome>> = {
  upstream: 'interrupted', stalled: 'stalled', deadline: 'deadline', diverged: 'diverged', caller: 'client_closed', abandoned: 'client_idle',
  shutdown: 'shutdown',
};

/**
 * The `request-end` code of a settled stream: undefined when complete; `client_closed` when the caller cancelled or
 * aborted; `client_idle` when it stopped reading without a word; `deadline_exceeded` when the deadline cut it
 * (`streamDeadline: 'total'`); `router_closed` when the router's shutdown did; otherwise the interruption's code
 * (`stream_interrupted`).
 */
export const streamEndCode = (settlement: StreamSettlement): string | undefined => {
  if (settlement.outcome === 'complete') return undefined;
  if (settlement.cause === 'caller') return 'client_closed';
  if (settlement.cause === 'shutdown') return 'router_closed';
  if (settlement.cause === 'abandoned') return 'client_idle';
  if (settlement.cause === 'deadline') return 'deadline_exceeded';
  return settlement.error?.code ?? 'stream_interrupted';
};

/**
 * A committed stream's ending, called once by its guard: releases the attempt (timers, pending count), prices what
 * was streamed, writes the endpoint's verdict (`recordStreamOutcome`), then settles the request — unless a rescue
 * will carry the answer on (`final` false), in which case the request settles when the last segment does.
 *
 * @param firstByteMs what the request reports as its time to first byte: the first segment's, on a rescued stream
 * @param firstByteEndpoint the endpoint that sent that first byte: the first segment's, on a rescued stream
 */
export const settleStream = (
  context: RouterContext,
  state: RequestState,
  chosen: Candidate,
  attempt: SettlingAttempt,
  settlement: StreamSettlement,
  final = true,
  firstByteMs = attempt.firstByteMs,
  firstByteEndpoint = chosen.name,
): void => {
  const { clock, options, emit, prices } = context;
  settlement = settledAfterShutDown(context.lifecycle, context.describeTransportError, settlement, state.request.signal);
  const now = clock.now();
  attempt.release();
  trackPending(context.selection.latency, chosen.name, -1, now, options.latency);
  const { usage: reported, usageComplete, outputEvents } = settlement.watcher;
  const pricedModel = attempt.raw ? undefined : streamPricedModel(context, state, chosen, settlement.watcher);
  // Without the provider's final count (it ignored stream_options, nobody asked, or the stream was cut before it)
  // the cost is estimated, from what the provider did report.
  const usage = streamedUsage(state, outputEvents, reported, usageComplete);
  const estimated = usage !== reported;
  settleQuotaStream(context, state, usage, !estimated);
  if (pricedModel) {
    emit(() => ({
      type: 'cost-record', endpoint: chosen.name, model: pricedModel, api: state.api, usage, costUsd: prices.costOf(pricedModel, usage),
      outcome: costOutcomes[settlement.outcome], estimated, at: now, caller: state.request.caller,
    }));
  }
  emit(() => ({
    type: 'stream-end', endpoint: chosen.name, model: state.model, api: state.api,
    outcome: settlement.outcome === 'complete' ? 'complete' : endOutcomes[settlement.cause ?? 'upstream'],
    reason: settlement.cause === 'shutdown' ? shutDownOutcome.reason : settlement.error === undefined ? undefined : context.scrub(settlement.error.message),
    durationMs: now - attempt.startedAt, at: now, firstByteMs: attempt.firstByteMs,
  }));
  recordStreamOutcome(context, chosen.name, settlement, attempt.breaker, now);
  if (final) settleRequest(context, state, settlement.outcome === 'complete', chosen.name, streamEndCode(settlement), firstByteMs, firstByteEndpoint);
};

/**
 * The model a stream is priced by, or undefined when it is not priced here. A request that named no model (a
 * Responses stored prompt chose it) is priced by the model the stream names. A background response is billed when it
 * finishes, whatever happens to a stream of it: priced once, by the first stream (or retrieval) that sees it finish.
 */
const streamPricedModel = (context: RouterContext, state: RequestState, chosen: Candidate, watcher: SseWatcher): string | undefined => {
  const named = chosen.upstreamModel ?? state.model;
  if (watcher.responseBackground) {
    const id = watcher.responseId;
    return watcher.usageComplete && id !== undefined && context.pricedBackground.claim(id) ? named ?? watcher.responseModel : undefined;
  }
  return named ?? (isGenerationRoute(state.prepared.path) ? watcher.responseModel : undefined);
};

/**
 * Settles a stream whose rescue found no endpoint to carry it on (every rescue attempt failed, or the caller left
 * during one): the cut segment already settled without settling the request.
 */
export const settleUnrescued = (
  context: RouterContext, state: RequestState, endpoint: string, code: string, firstByteMs: number, firstByteEndpoint: string,
): void => {
  settleRequest(context, state, false, endpoint, code, firstByteMs, firstByteEndpoint);
};
