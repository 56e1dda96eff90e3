import { isGenerationRoute } from '../apis/api-name';
import { awaitStore } from './await-store';
import { answeredModelName } from '../apis/model-name';
import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import { trackPending } from '../selection/peak-ewma';
import { applyAttemptOutcome } from './apply-attempt-outcome';
import { answerTokens, estimatedUsage, streamedUsage } from './estimate-usage';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import type { AttemptOutcome, AttemptSuccess } from './run-attempt';
import type { Usage } from '../pricing/usage';
import { backgroundBilling } from '../apis/background-responses';

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
    startedAt,
    route: state.prepared.path,
    recheck: state.recheck,
  });
  state.recheck = undefined;
  // A store that has not answered by the deadline (or the caller's leaving, or the shutdown) is not waited for: the
  // attempt is recorded all the same, and the loop's next check ends the request.
  return isPromiseLike(applied)
    ? awaitStore(context, state, applied).then(() => recordAttempt(context, state, outcome, endedAt))
    : recordAttempt(context, state, outcome, endedAt);
};

/**
 * What prices a JSON answer: the model and usage, estimated from its text where it was generated and reports none.
 * A request that named no model (a Responses stored prompt chose it) is priced by the model the answer names. A
 * background response is priced once, when first seen finished (a retrieval), never while it runs.
 */
const jsonPricing = (context: RouterContext, state: RequestState, outcome: AttemptSuccess, named: string | undefined): { model: string; usage: Usage; estimated: boolean } | undefined => {
  const billing = state.api === 'responses' ? backgroundBilling(outcome.answer) : undefined;
  if (billing?.state === 'running') return undefined;
  if (billing?.state === 'finished') {
    const model = named ?? billing.model;
    return model && outcome.usage && context.pricedBackground.claim(billing.id) ? { model, usage: outcome.usage, estimated: false } : undefined;
  }
  const generation = isGenerationRoute(state.prepared.path);
  const model = named ?? (generation ? answeredModelName((outcome.answer as { model?: unknown } | null | undefined)?.model) : undefined);
  if (!model) return undefined;
  if (outcome.usage) return { model, usage: outcome.usage, estimated: false };
  // A JSON answer without (believable) usage was generated and billed all the same: estimated from its text. A
  // token count (`/messages/count_tokens`) is not a generation, and is free.
  return outcome.answer !== undefined && generation ? { model, usage: estimatedUsage(state, answerTokens(outcome.answer)), estimated: true } : undefined;
};

/** Prices the attempt, adds it to the request's record and reports it; returns its cost. */
const recordAttempt = (context: RouterContext, state: RequestState, outcome: AttemptOutcome, endedAt: number): number | undefined => {
  const { emit, prices } = context;
  // The breaker has its verdict: the probe slot, if this was one, is spoken for.
  state.holdsProbe = false;
  const chosen = state.chosen!;
  const startedAt = state.attemptStartedAt;
  const { classification } = outcome;
  const pricedModel = chosen.upstreamModel ?? state.model;
  let costUsd: number | undefined;
  const priced = outcome.ok && !outcome.stream ? jsonPricing(context, state, outcome, pricedModel) : undefined;
  if (priced) {
    costUsd = prices.costOf(priced.model, priced.usage);
    emit(() => ({ type: 'cost-record', endpoint: chosen.name, model: priced.model, api: state.api, usage: priced.usage, costUsd, outcome: 'success', estimated: priced.estimated, at: endedAt, caller: state.request.caller }));
  } else if (!outcome.ok && outcome.billed && pricedModel) {
    const usage = streamedUsage(state, outcome.eventsSeen, outcome.usage, outcome.usageComplete);
    const estimated = usage !== outcome.usage;
    costUsd = prices.costOf(pricedModel, usage);
    // Billed and cut: by the endpoint (`failed`), or by its caller or the router's shutdown (`abandoned`, as a stream).
    const ended = classification.kind === 'aborted' ? 'abandoned' : 'failed';
    emit(() => ({ type: 'cost-record', endpoint: chosen.name, model: pricedModel, api: state.api, usage, costUsd, outcome: ended, estimated, at: endedAt, caller: state.request.caller }));
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
