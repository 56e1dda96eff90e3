import type { Endpoint } from '../options/endpoint-schema';
import { upstreamModelName } from './prepare-request';

/** An endpoint that serves the request's model, with the name it calls that model. */
export interface Candidate {
  readonly endpoint: Endpoint;
  readonly name: string;
  readonly priority: number;
  readonly weight: number;
  /** The model name this endpoint is sent; undefined when it is the caller's own (or there is none). */
  readonly upstreamModel: string | undefined;
}

// Model names come from callers: the cache keeps at most this many, so 5,000 invented names cannot grow it.
const maxCachedModels = 1000;

/**
 * Returns a lookup of the endpoints that serve a model, cached per model name (every request asks, and the answer
 * changes only with the options). The cache is a `Map`, so `__proto__` is a model name like any other.
 */
export const createServingEndpoints = (endpoints: readonly Endpoint[]): ((model: string | undefined) => readonly Candidate[]) => {
  const cache = new Map<string, Candidate[]>();
  return (model) => {
    // One key for requests that name no model.
    const key = model ?? '\u0000';
    let serving = cache.get(key);
    if (!serving) {
      serving = [];
      for (const endpoint of endpoints) {
        const upstreamModel = upstreamModelName(endpoint, model);
        if (upstreamModel === undefined) continue;
        serving.push({ endpoint, name: endpoint.name, priority: endpoint.priority, weight: endpoint.weight, upstreamModel: upstreamModel || undefined });
      }
      if (cache.size < maxCachedModels) cache.set(key, serving);
    }
    return serving;
  };
};
