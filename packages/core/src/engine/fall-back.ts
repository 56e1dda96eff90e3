import { initialBackoffState } from '../backoff/backoff';
import type { OutcomeKind } from '../classification/outcome-kind';
import type { RequestState } from './request-state';
import { storageOf } from './response-pinning';
import type { RouterContext } from './router-context';
import type { Candidate } from './serving-endpoints';

/** The failures a model can fall back for, and the `fallbacks` field that names where to. */
const fallbackFields: Partial<Record<OutcomeKind, 'contextLength' | 'contentPolicy'>> = {
  context_length_exceeded: 'contextLength',
  content_policy: 'contentPolicy',
};

/** One endpoint asked under one upstream model name: the unit that refused. */
const refusalKey = (candidate: Candidate, model: string | undefined): string => `${candidate.name}\u0000${candidate.upstreamModel ?? model ?? ''}`;

/**
 * After the model refused the request as too long or against policy, moves the request to the model `fallbacks`
 * names for that reason: its endpoints (each with its own name for it) become the ones to try, with a clean slate
 * of tried endpoints. The pair of endpoint and upstream model that refused is remembered, so the unchanged request
 * is never sent to it again, even when the fallback maps to the same upstream model somewhere. False when there
 * is no fallback (the refusal then ends the request, as its policy says), when it was already visited, or when
 * every endpoint serving it has refused.
 */
export const fallBack = (context: RouterContext, state: RequestState, chosen: Candidate, kind: OutcomeKind): boolean => {
  const field = fallbackFields[kind];
  if (field === undefined) return false;
  (state.refused ??= new Set()).add(refusalKey(chosen, state.model));
  const from = state.model;
  if (from === undefined) return false;
  const to = context.options.fallbacks?.[from]?.[field];
  if (to === undefined || state.models.includes(to)) return false;
  // The fallback speaks the same API, and a request continuing a stored response stays with the storage holding it.
  const storages = state.reference ? new Set(state.serving.map((candidate) => storageOf(candidate.endpoint))) : undefined;
  const serving = context
    .servingEndpoints(state.scope, to)
    .filter((candidate) => !state.refused!.has(refusalKey(candidate, to)) && (!storages || storages.has(storageOf(candidate.endpoint))));
  if (serving.length === 0) return false;
  const at = context.clock.now();
  context.emit(() => ({ type: 'model-fallback', from, to, reason: kind, endpoint: chosen.name, at }));
  state.model = to;
  state.models.push(to);
  state.serving = serving;
  state.tried = undefined;
  state.retryAt = undefined;
  state.sameOnly = undefined;
  state.retryOnce = undefined;
  state.backoff = initialBackoffState;
  state.fellBack = true;
  return true;
};
