import { createRouter as createCoreRouter, type Router, type RouterDependencies, type RouterOptionsInput } from '@detour/core';
import { systemClock } from '@detour/core/binding';
import { createFetchTransport, type FetchLike } from './fetch-transport';

/** Router options plus, optionally, the fetch to send with (the platform's by default). */
export interface EdgeRouterOptions extends RouterOptionsInput {
  readonly fetch?: FetchLike;
}

/**
 * Creates a router bound to the Web `fetch` and the platform clock. Create it once at module scope: breaker,
 * cooldown and budget state then persist across requests within an isolate. Pass a `store` in `overrides` to share
 * state further (a Durable Object, for example); nothing assumes the store answers synchronously.
 */
export const createRouter = ({ fetch: fetchImpl, ...options }: EdgeRouterOptions, overrides: Partial<RouterDependencies> = {}): Router =>
  createCoreRouter(options, { transport: createFetchTransport(fetchImpl), clock: systemClock, ...overrides });
