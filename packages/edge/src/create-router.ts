import { createRouter as createCoreRouter, type Router, type RouterDependencies, type RouterOptionsInput, type StateStore } from '@detour/core';
import { systemClock } from '@detour/core/binding';
import { createFetchTransport, type FetchLike } from './fetch-transport';

/** Router options plus, optionally, the fetch to send with (the platform's by default) and a shared state store. */
export interface EdgeRouterOptions extends RouterOptionsInput {
  readonly fetch?: FetchLike;
  /**
   * Where breakers, cooldowns and the retry budget live: pass `createDurableObjectStore(…)` from
   * `@detour/cloudflare` to share them across isolates. A `store` in `overrides` wins over this one.
   * @default an in-memory store of this router's own
   */
  readonly store?: StateStore;
}

/**
 * Creates a router bound to the Web `fetch` and the platform clock. Create it once at module scope: breaker,
 * cooldown and budget state then persist across requests within an isolate. Pass a `store` (in the options or in `overrides`) to share
 * state further (a Durable Object, for example); nothing assumes the store answers synchronously.
 */
export const createRouter = ({ fetch: fetchImpl, store, ...options }: EdgeRouterOptions, overrides: Partial<RouterDependencies> = {}): Router =>
  // `store` is a dependency, not an option: core's strict schema would reject it, so it joins the overrides here.
  createCoreRouter(options, { transport: createFetchTransport(fetchImpl), clock: systemClock, ...(store ? { store } : {}), ...overrides });
