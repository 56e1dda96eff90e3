import { isGenerationRoute } from '../apis/api-name';
import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import type { Usage } from '../pricing/usage';
import { trackPending } from '../selection/peak-ewma';
import { applyAttemptOutcome } from './apply-attempt-outcome';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import type { AttemptOutcome } from './run-attempt';

/**
 * Records what the current attempt came to: judges the endpoint (breaker sample, cooldown, latency — see
 * `applyAttemptOutcome`), then prices the attempt, adds it to the request's record and emits `cost-record` and
 * `attempt-end`. Resolves to the attempt's cost. A stream that committed stays pending until it settles.
 * Synchronous with a synchronous store.
 */
export const recordOutcome = (context: RouterContext, state: RequestState, outcome: AttemptOutcome): MaybePromise<number | undefined> => {
  const { options, clock, selection } = context;
  const chosen = state.chosen!;
  const admission = state.admission!;
  const startedAt = state.attemptStartedAt;
  const endedAt = clock.now();
  if (outcome.ok && outcome.stream) {
    state.heldStream = outcome;
    // When its first event counted as the endpoint's success: a cut later turns that success into a failure.
    state.committedAt = endedAt;
  }
  if (!state.heldStream) {
    trackPending(selection.latency, chosen.name, -1, endedAt, options.latency);
    state.holdsPending = false;
  }
  const applied = applyAttemptOutcome(context, {
    endpoint: chosen.name,
    classification: outcome.classification,
    admission: { generation: admission.generation, probe: admission.probe, position: admission.state.position, lease: admission.lease },
    now: endedAt,
    model: state.model,
    rttMs: outcome.ok ? outcome.firstByteMs : endedAt - startedAt,
  });
  return isPromiseLike(applied)
    ? applied.then(() => recordAttempt(context, state, outcome, endedAt))
    : recordAttempt(context, state, outcome, endedAt);
};

/** Prices the attempt, adds it to the request's record and reports it; returns its cost. */
const recordAttempt = ({ emit, prices }: RouterContext, state: RequestState, outcome: AttemptOutcome, endedAt: number): number | undefined => {
  // The breaker has its verdict: the probe slot, if this was one, is spoken for.
  state.holdsProbe = false;
  const chosen = state.chosen!;
  const startedAt = state.attemptStartedAt;
  const { classification } = outcome;
  const pricedModel = chosen.upstreamModel ?? state.model;
  let costUsd: number | undefined;
  if (outcome.ok && !outcome.stream && pricedModel && (outcome.usage || (outcome.answer !== undefined && isGenerationRoute(state.prepared.path)))) {
    // A JSON answer without (believable) usage was generated and billed all the same: estimated from its text. A
    // token count (`/messages/count_tokens`) is not a generation, and is free.
    const estimated = outcome.usage === undefined;
    const usage = outcome.usage ?? estimatedUsage(state, answerTokens(outcome.answer));
    costUsd = prices.costOf(pricedModel, usage);
    emit(() => ({ type: 'cost-record', endpoint: chosen.name, model: pricedModel, api: state.api, usage, costUsd, outcome: 'success', estimated, at: endedAt, caller: state.request.caller }));
  } else if (!outcome.ok && outcome.billed && pricedModel) {
    const usage = streamedUsage(state, outcome.eventsSeen, outcome.usage, outcome.usageComplete);
    const estimated = usage !== outcome.usage;
    costUsd = prices.costOf(pricedModel, usage);
    emit(() => ({ type: 'cost-record', endpoint: chosen.name, model: pricedModel, api: state.api, usage, costUsd, outcome: 'failed', estimated, at: endedAt, caller: state.request.caller }));
  }
  const attempt = state.attempts.length + 1;
  state.attempts.push({
    endpoint: chosen.name, attempt, startedAt, durationMs: endedAt - startedAt, status: outcome.status,
    kind: classification.kind, reason: classification.reason, serverDelayMs: classification.delayMs, costUsd,
  });
  emit(() => ({
    type: 'attempt-end', endpoint: chosen.name, attempt, model: state.model, api: state.api, kind: classification.kind,
    status: outcome.status, durationMs: endedAt - startedAt, reason: classification.reason, at: endedAt,
  }));
  return costUsd;
};

/**
 * What a stream is priced and counted by, whether it ended or failed: the usage it reported when that is final
 * (chat's usage chunk, a terminal event, an Anthropic `message_delta`; a `response.failed` in the first read), else the
 * estimate, which keeps a partial report's prompt counts. The estimate is a new object: `!== reported` tells them apart.
 */
export const streamedUsage = (state: RequestState, outputEvents: number, reported: Usage | undefined, complete: boolean | undefined): Usage =>
  reported && complete ? reported : estimatedUsage(state, outputEvents, reported);

// Bounds the walk of an answer without usage: its strings, not its size, are what is priced.
const maxAnswerNodes = 100_000;

/** Tokens of a JSON answer's text, at about 4 characters a token: every string in it (content, tool arguments, ids). */
const answerTokens = (answer: unknown): number => {
  let characters = 0;
  let visited = 0;
  const pending: unknown[] = [answer];
  while (pending.length > 0 && visited < maxAnswerNodes) {
    const value = pending.pop();
    visited += 1;
    if (typeof value === 'string') characters += value.length;
    else if (Array.isArray(value)) {
      // By index, and no further than the bound: `for...in` lists every key of a large array (an embedding's floats)
      // before the first one is looked at.
      for (let index = 0; index < value.length && visited + pending.length < maxAnswerNodes; index += 1) pending.push(value[index]);
    } else if (typeof value === 'object' && value !== null) {
      for (const key in value) {
        if (visited + pending.length >= maxAnswerNodes) break;
        pending.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return Math.ceil(characters / 4);
};

/**
 * The usage an answer is billed for when the provider did not report all of it: about 4 bytes a prompt token and
 * one token an output event (or, for a JSON answer, 4 characters of its text). A partial report (Anthropic's
 * `message_start`, cut before any `message_delta`) keeps its prompt counts, and its output count when larger.
 */
export const estimatedUsage = (state: RequestState, outputTokens: number, partial?: Usage): Usage =>
  partial
    ? { ...partial, outputTokens: Math.max(partial.outputTokens, outputTokens) }
    : { inputTokens: Math.ceil(state.prepared.bodyBytes / 4), cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens, reasoningTokens: 0 };
