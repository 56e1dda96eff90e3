// @detour/node: core bound to undici. It adds only the transport and the wiring; everything else is core's
// application surface, re-exported whole (its `createRouter` is replaced by the one bound to undici).
export * from '@detour/core';
export { createFetch, type NodeDetourFetch } from './create-fetch';
export { createRouter, type NodeRouter, type NodeRouterOptions } from './create-router';
export { createUndiciTransport, type UndiciTransport } from './undici-transport';
export type { UpstreamDispatcher } from './upstream-agent';
// The agent schema (zod) is in `@detour/node/schemas`, so importing this entry never loads zod.
export type { AgentOptions, AgentOptionsInput } from './agent-options-schema';
