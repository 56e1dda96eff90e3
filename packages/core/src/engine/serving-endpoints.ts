import type { ApiName, OtherRoutes } from '../apis/api-name';
import type { Endpoint } from '../options/endpoint-schema';
import { upstreamModelName } from './prepare-request';

/** An endpoint that serves the request's API and model, with the name it calls that model. */
export interface Candidate {
  readonly endpoint: Endpoint;
  readonly name: string;
  readonly priority: number;
  readonly weight: number;
  /** The model name this endpoint is sent; undefined when it is the caller's own (or there is none). */
  readonly upstreamModel: string | undefined;
}

// Model names come from callers: the cache keeps at most this many (API, model) pairs, so 5,000 invented names
// cannot grow it.
const maxCachedModels = 1000;

/**
 * What a request is served by: an API's endpoints, those of a dialect for a route of no API (see `otherRoutesOf`),
 * or every endpoint (undefined).
 */
export type ServingScope = ApiName | OtherRoutes | undefined;

/** Whether an endpoint is in a scope: speaks the API, or for a dialect's other routes any API of that dialect. */
const inScope = (apis: readonly ApiName[], scope: ServingScope): boolean => {
  if (scope === undefined) return true;
  if (scope === 'anthropic-routes') return apis.includes('messages');
  if (scope === 'openai-routes') return apis.some((api) => api !== 'messages');
  return apis.includes(scope);
};

/**
 * Returns a lookup of the endpoints in a scope that serve a model, cached per (scope, model) pair (every request
 * asks, and the answer changes only with the options). A dialect's other routes go to every endpoint when no
 * endpoint speaks that dialect (an Anthropic relay declared with OpenAI's APIs still lists its models), and an
 * undefined scope matches every endpoint, as an undefined model does. The caches are `Map`s, so `__proto__` is a
 * model name like any other.
 */
export const createServingEndpoints = (
  endpoints: readonly Endpoint[],
): ((scope: ServingScope, model: string | undefined) => readonly Candidate[]) => {
  // One cache per scope, keyed by the model itself: no key is built (and hashed) per request.
  const caches = new Map<ServingScope, Map<string | undefined, Candidate[]>>();
  let cachedModels = 0;
  const dialectSpoken = (scope: ServingScope) => endpoints.some((endpoint) => inScope(endpoint.apis, scope));
  const spoken = { 'openai-routes': dialectSpoken('openai-routes'), 'anthropic-routes': dialectSpoken('anthropic-routes') };
  return (scope, model) => {
    let cache = caches.get(scope);
    if (!cache) caches.set(scope, (cache = new Map()));
    let serving = cache.get(model);
    if (!serving) {
      serving = [];
      const filter = (scope === 'openai-routes' || scope === 'anthropic-routes') && !spoken[scope] ? undefined : scope;
      for (const endpoint of endpoints) {
        if (!inScope(endpoint.apis, filter)) continue;
        const upstreamModel = upstreamModelName(endpoint, model);
        if (upstreamModel === undefined) continue;
        serving.push({ endpoint, name: endpoint.name, priority: endpoint.priority, weight: endpoint.weight, upstreamModel: upstreamModel || undefined });
      }
      if (cachedModels < maxCachedModels) {
        cache.set(model, serving);
        cachedModels += 1;
      }
    }
    return serving;
  };
};
