import type { ApiName } from '../apis/api-name';
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
 * Returns a lookup of the endpoints that speak an API and serve a model, cached per (API, model) pair (every request
 * asks, and the answer changes only with the options). An undefined API (a route such as `/models` that belongs to
 * none) matches every endpoint, as an undefined model does. The caches are `Map`s, so `__proto__` is a model name
 * like any other.
 */
export const createServingEndpoints = (
  endpoints: readonly Endpoint[],
): ((api: ApiName | undefined, model: string | undefined) => readonly Candidate[]) => {
  // One cache per API, keyed by the model itself: no key is built (and hashed) per request.
  const caches = new Map<ApiName | undefined, Map<string | undefined, Candidate[]>>();
  let cachedModels = 0;
  return (api, model) => {
    let cache = caches.get(api);
    if (!cache) caches.set(api, (cache = new Map()));
    let serving = cache.get(model);
    if (!serving) {
      serving = [];
      for (const endpoint of endpoints) {
        if (api !== undefined && !endpoint.apis.includes(api)) continue;
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
