// @detour/node/schemas: the Node-only option schemas (zod), for tooling that lists every option with its default.
// An entry of its own, so that importing @detour/node (which validates with the compiled rules) never loads zod.
export { agentOptionsSchema, type AgentOptions, type AgentOptionsInput } from './agent-options-schema';
