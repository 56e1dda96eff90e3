import type { Candidate } from './serving-endpoints';
import type { RequestState } from './request-state';
import type { AttemptFailure } from './run-attempt';

/**
 * The endpoints of one router known to refuse `stream_options` (see {@link refusedStreamOptions}), with when each was
 * learned: sent the caller's own body for {@link refusalHeldMs} from then. Keyed by configured endpoint name, so
 * bounded by the configuration.
 */
export type StreamOptionsRefusals = Map<string, number>;

/**
 * How long a refusal is believed. A server upgraded (an Azure deployment moved to a newer `api-version`, a relay
 * fixed) takes the field again, and kept for the process's life one refusal left every later stream unpriced (attack
 * 24); asked again after an hour, a server that still refuses costs one free attempt an hour.
 */
export const refusalHeldMs = 3_600_000;

/**
 * Whether the current attempt, on `candidate`, is sent the usage request Detour adds to a stream (`streamUsage:
 * 'inject'`). Not when the endpoint refuses the field: Mistral's API refuses any field it does not know (422, "Extra
 * inputs are not permitted") and reports usage in its last chunk anyway; other servers (an Azure deployment on an
 * older `api-version`, a strict relay) are known once they refused it and then served the caller's body; and not
 * to an endpoint that refused it earlier in this request.
 */
export const sendsAddedUsage = (refusals: StreamOptionsRefusals, state: RequestState, candidate: Candidate): boolean =>
  state.prepared.callerBody !== undefined &&
  candidate.endpoint.provider !== 'mistral' &&
  !refuses(refusals, candidate.name, state.attemptStartedAt) &&
  state.usageRefusedBy?.has(candidate.name) !== true;

const refuses = (refusals: StreamOptionsRefusals, endpoint: string, now: number): boolean => {
  if (refusals.size === 0) return false;
  const learnedAt = refusals.get(endpoint);
  return learnedAt !== undefined && now - learnedAt < refusalHeldMs;
};

/**
 * An attempt sent the `stream_options` Detour added and the endpoint refused the request over it, as far as the
 * answer says: a 400 or 422 whose body names the field. An error that quotes the caller's input may name it too, so
 * this only has the endpoint asked again without it, in this request and at no cost to the caller (see
 * {@link noteUsageRefused}); the router remembers the endpoint only once that attempt is served ({@link learnRefusal}).
 */
export const refusedStreamOptions = (state: RequestState, outcome: AttemptFailure): boolean =>
  state.sentAddedUsage && (outcome.status === 400 || outcome.status === 422) && outcome.bodyText?.includes('stream_options') === true;

/** The refusal noted: the endpoint is sent the caller's body for the rest of the request, and the attempt is free. */
export const noteUsageRefused = (state: RequestState, endpoint: string): void => {
  (state.usageRefusedBy ??= new Set()).add(endpoint);
  state.freeAttempts += 1;
};

/**
 * The endpoint served the caller's body after refusing the one Detour added to: it refuses the field, and the router
 * sends it the caller's body for the next {@link refusalHeldMs}. One that refused over the caller's own input fails again and is not kept.
 */
export const learnRefusal = (refusals: StreamOptionsRefusals, state: RequestState): void => {
  const served = state.chosen!.name;
  if (state.usageRefusedBy?.has(served) === true) refusals.set(served, state.attemptStartedAt);
};

/**
 * The caller's parsed body as an endpoint that refuses `stream_options` is sent it in a rescue's continuation: without
 * the `include_usage` Detour added (and without `stream_options` when that was all of it).
 */
export const withoutAddedUsage = (json: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => {
  const { stream_options: options, ...rest } = json;
  if (typeof options !== 'object' || options === null) return json;
  const { include_usage: _added, ...others } = options as Record<string, unknown>;
  return Object.keys(others).length === 0 ? rest : { ...rest, stream_options: others };
};
