import { createRouter as createCoreRouter, InvalidOptionsError, type Router, type RouterDependencies, type RouterOptionsInput } from '@detour/core';
import { systemClock, toIssues } from '@detour/core/binding';
import { agentOptionsSchema, createUndiciTransport, type AgentOptionsInput, type UndiciTransport } from './undici-transport';

/** Router options plus the Node-only connection settings. */
export interface NodeRouterOptions extends RouterOptionsInput {
  /** undici connection pool settings. */
  readonly agent?: AgentOptionsInput;
}

/** A router on undici, with a way to release its connections. */
export interface NodeRouter extends Router {
  /** Closes the connection pool. */
  close(): Promise<void>;
}

/**
 * Creates a router bound to undici and the system clock. Options are validated at once; a bad field throws
 * `InvalidOptionsError` naming it (`endpoints[0].baseUrl: …`, `agent.connections: …`). Anything in `overrides`
 * (store, clock, random…) replaces the default.
 *
 * @example
 * const router = createRouter({ endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey }] });
 */
export const createRouter = (
  { agent, ...options }: NodeRouterOptions,
  overrides: Partial<RouterDependencies> = {},
): NodeRouter => {
  const parsedAgent = agentOptionsSchema.safeParse(agent ?? {});
  if (!parsedAgent.success) throw new InvalidOptionsError(toIssues(parsedAgent.error, 'agent'), 'router options');
  const transport: UndiciTransport = createUndiciTransport(parsedAgent.data);
  const router = createCoreRouter(options, { transport, clock: systemClock, ...overrides });
  return { ...router, close: () => transport.close() };
};
