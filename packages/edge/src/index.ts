// @detour/edge: core bound to the Web platform's fetch. It adds only the transport and the wiring.
export { createFetch, type EdgeDetourFetch } from './create-fetch';
export { createRouter, type EdgeRouterOptions } from './create-router';
export { createFetchTransport, type FetchLike } from './fetch-transport';
export {
  AttemptsExhaustedError, AttemptTimeoutError, DetourError, InvalidOptionsError, NoEndpointAvailableError, StreamInterruptedError,
  createMemoryStore,
  type AttemptRecord, type DetourFetch, type EndpointHealth, type EndpointInput, type RouteRequest, type RouteResult, type Router,
  type RouterDependencies, type RouterEvent, type RouterOptionsInput, type StateStore,
} from '@detour/core';
