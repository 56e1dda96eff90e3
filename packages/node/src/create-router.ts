import { createRouter as createCoreRouter, InvalidOptionsError, parseRouterOptions, RouterClosedError, type OptionsIssue, type Router, type RouterDependencies, type RouterOptionsInput, type StateStore } from '@detour/core';
import { englishMessage, toIssues, validate } from '@detour/core/binding';
import { defaultMaxListeners, getMaxListeners, setMaxListeners } from 'node:events';
import { agentOptionsRule } from './agent-options-rules';
import type { AgentOptions, AgentOptionsInput } from './agent-options-schema';
import { describeNodeTransportError } from './describe-node-transport-error';
import { discoverTracer } from './discover-tracer';
import { nodeClock } from './node-clock';
import { createPoolCloser } from './pool-closer';
import { createUndiciTransport, type UndiciTransport } from './undici-transport';

// undici's own figure for a signal many fetches share.
const sharedSignalListeners = 1500;

/** Router options plus the Node-only connection settings and, optionally, a shared state store. */
export interface NodeRouterOptions extends RouterOptionsInput {
  /** undici connection pool settings. */
  readonly agent?: AgentOptionsInput;
  /**
   * Where breakers, cooldowns and the retry budget live: pass `createRedisStore({ url })` from `@detour/redis` to
   * share them across processes. A `store` in `overrides` wins over this one.
   * @default an in-memory store of this router's own
   */
  readonly store?: StateStore;
}

/** A router on undici, with a way to release its connections. */
export interface NodeRouter extends Router {
  /**
   * Closes the router's connection pool (not a transport passed in `overrides`, which stays the caller's), once every
   * request already sent has settled (answered, failed over and answered, its stream ended), or after `graceMs` by
   * shutting the router down (`shutDown()`) and cutting what is left: requests fail with `router_closed`, streams end
   * broken (never clean, `stream-end` outcome `shutdown`), and none of it counts against an endpoint. From the call
   * on, `send` (and a `createFetch` made on it) refuses new requests with `router_closed`. Calling it again returns
   * the first call's promise; a shorter `graceMs` then brings the cut forward.
   * @param options.graceMs how long requests and streams in flight may take to finish. @default no bound
   */
  close(options?: { readonly graceMs?: number }): Promise<void>;
}

/**
 * Creates a router bound to undici and the system clock. Options are validated at once; a bad field throws
 * `InvalidOptionsError` naming it (`endpoints[0].baseUrl: …`, `agent.connections: …`). Anything in `overrides`
 * (store, clock, random…) replaces the default. When `@opentelemetry/api` is installed and `overrides.tracer` is not
 * given, requests are traced through it (a span per request and per attempt, once a tracer provider is registered;
 * see docs/tracing.md); `tracer: false` turns that off.
 *
 * @example
 * const router = createRouter({ endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey }] });
 * const shared = createRouter({ endpoints, store: createRedisStore({ url: process.env.REDIS_URL }) });
 */
export const createRouter = (
  { agent, store, ...options }: NodeRouterOptions,
  overrides: Partial<RouterDependencies> = {},
): NodeRouter => {
  // agentOptionsSchema, compiled (agent-options-rules.ts): zod's checks and English messages without loading zod.
  const parsedAgent = validate<AgentOptions>(agentOptionsRule, agent ?? {});
  if (!parsedAgent.success) {
    const agentIssues = parsedAgent.error.issues.map((issue) => ({ ...issue, message: issue.message ?? englishMessage(issue) }));
    // The rest of the options are checked too, so that one error names every bad field.
    throw new InvalidOptionsError([...toIssues({ issues: agentIssues }, 'agent'), ...routerOptionIssues(options)], 'router options');
  }
  // A transport the caller passes is the one used, and the caller's to close (routers may share one): no pool of
  // ours is made beside it.
  const own: UndiciTransport | undefined = overrides.transport ? undefined : createUndiciTransport(parsedAgent.data);
  // `store` is a dependency, not an option: core's strict schema would reject it, so it joins the overrides here.
  const tracer = overrides.tracer ?? discoverTracer();
  const router = createCoreRouter(options, {
    transport: overrides.transport ?? own!, clock: nodeClock, describeTransportError: describeNodeTransportError, ...(store ? { store } : {}), ...overrides, tracer,
  });
  // Closed is closed: a request after close() is refused at once (`router_closed`). Sent, it failed on the destroyed
  // pool as each endpoint's network error, opening every breaker, and through a shared store the fleet's. The pool
  // closes once the requests already sent have settled (see createPoolCloser).
  let closed = false;
  const closePool = own ? createPoolCloser(own, router.idle, router.shutDown) : undefined;
  // What the fleet has not heard yet (admission's last spend) is told once the pool has closed, before the caller
  // closes the store: a restart forgot it, and the next process admitted it again.
  let closing: Promise<void> | undefined;
  const send: Router['send'] = (request) => {
    if (closed) return Promise.reject(new RouterClosedError('This Detour router was closed and takes no more requests; create a new one.'));
    // A request holds two `abort` listeners on its caller's signal while it runs. One signal for an app's life,
    // shared by a dozen streams, made Node warn of a leak that is none (Detour removes its listeners): raise the
    // signal's limit as undici's own fetch does, when it is still Node's default.
    const signal = request.signal;
    if (signal instanceof EventTarget && getMaxListeners(signal) === defaultMaxListeners) setMaxListeners(sharedSignalListeners, signal);
    return router.send(request);
  };
  const close = ({ graceMs }: { readonly graceMs?: number } = {}): Promise<void> => {
    // Refused before anything closes: the router stays open for a call with a bound that is one.
    if (graceMs !== undefined && !(graceMs >= 0)) {
      return Promise.reject(new InvalidOptionsError([{ path: 'graceMs', message: `expected milliseconds, 0 or more, not ${graceMs}` }], 'close options'));
    }
    closed = true;
    // Every call gives the pool its bound (a shorter one brings the cut forward) and returns the first call's promise.
    const poolClosed = closePool?.(graceMs);
    // The flush follows the pool's close, which comes once the requests have settled or at the bound, whichever is
    // first: waiting for them to settle instead held a close past its bound for a request in a backoff, and for ever
    // for a stream its caller held unread. A transport the caller owns is not waited for.
    closing ??= (poolClosed ?? Promise.resolve()).then(router.flush);
    return closing;
  };
  return { ...router, send, close };
};

/** What core says of the options besides `agent`: nothing when they are valid. */
const routerOptionIssues = (options: RouterOptionsInput): readonly OptionsIssue[] => {
  try {
    parseRouterOptions(options);
    return [];
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error.issues;
    throw error;
  }
};
