// @detour/edge: core bound to the Web platform's fetch. It adds only the transport and the wiring; everything else
// is core's application surface, re-exported whole (its `createRouter` is replaced by the one bound to fetch).
export * from '@detour/core';
export { createFetch, type EdgeDetourFetch } from './create-fetch';
export { createRouter, type EdgeRouterOptions } from './create-router';
export { createFetchTransport, type FetchLike } from './fetch-transport';
