// @detour/node: core bound to undici. It adds only the transport and the wiring; everything else is core's.
export { createFetch, type NodeDetourFetch } from './create-fetch';
export { createRouter, type NodeRouter, type NodeRouterOptions } from './create-router';
export { agentOptionsSchema, createUndiciTransport, type AgentOptionsInput, type UndiciTransport } from './undici-transport';
export {
  AttemptsExhaustedError, AttemptTimeoutError, DetourError, InvalidOptionsError, NoEndpointAvailableError, StreamInterruptedError,
  createMemoryStore,
  type AttemptRecord, type DetourFetch, type EndpointHealth, type EndpointInput, type RouteRequest, type RouteResult, type Router,
  type RouterDependencies, type RouterEvent, type RouterOptionsInput, type StateStore,
} from '@detour/core';
