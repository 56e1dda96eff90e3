import type { Endpoint } from '../options/endpoint-schema';
import type { AttemptFailure } from './run-attempt';

/**
 * The endpoints of one router that refused `stream_options` (see {@link refusedStreamOptions}): sent the caller's own
 * body from then on. Keyed by configured endpoint name, so bounded by the configuration.
 */
export type StreamOptionsRefusals = Set<string>;

/**
 * Whether an endpoint is sent the usage request Detour adds to a stream (`streamUsage: 'inject'`). Mistral's API
 * refuses any field it does not know, `stream_options` among them (422, "Extra inputs are not permitted"), and
 * reports usage in its last chunk anyway; other servers (an Azure deployment on an older `api-version`, a strict
 * relay) are learned from their first refusal.
 */
export const takesStreamOptions = (endpoint: Endpoint, refusals: StreamOptionsRefusals): boolean =>
  endpoint.provider !== 'mistral' && !refusals.has(endpoint.name);

/**
 * An attempt sent the `stream_options` Detour added and the endpoint refused the request over it: a 400 or 422
 * whose body names the field. Not the caller's fault, so not the caller's error: the endpoint is asked again
 * without it.
 */
export const refusedStreamOptions = (outcome: AttemptFailure): boolean =>
  (outcome.status === 400 || outcome.status === 422) && outcome.bodyText?.includes('stream_options') === true;

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
