import { type ApiName, AttemptsExhaustedError, createSecretScrubber, DetourError, NoEndpointAvailableError, type Router } from '@detour/core';
import { errorResponse } from '@detour/core/binding';
import type { Context, Handler } from 'hono';
import { Hono } from 'hono';
import { registerAdminRoutes } from './admin/admin-routes';
import { apiOfRoute } from './apis/route-api';
import type { GatewayConfig } from './config/load-config';
import { createDashboardCollector } from './dashboard/dashboard-collector';
import type { GatewayMetrics } from './metrics/gateway-metrics';
import { type GatewayCaller, gatewayAuthenticator } from './middleware/gateway-auth';
import { GatewayError } from './middleware/gateway-error';
import { createBodyBudget } from './routes/body-budget';
import { notFoundResponse, refusalResponse, upstreamAuthFailure } from './routes/error-responses';
import { modelRoute, modelsRoute } from './routes/models-route';
import { createWebAdapter, type ProxyAdapter } from './routes/proxy-adapter';
import { proxyRoute } from './routes/proxy-route';
import { storedResponseRoute } from './routes/stored-response-route';

/** What the app is built from; the Node and Workers entries differ only in how they make these. */
export interface AppParts {
  readonly config: GatewayConfig;
  readonly router: Router;
  readonly metrics: GatewayMetrics;
  readonly now: () => number;
  /** How requests are read and answers written, given the scrubber. @default the Web adapter */
  readonly createAdapter?: (options: { scrub: (text: string) => string }) => ProxyAdapter;
  /**
   * Why the shared state store cannot serve until its configuration changes (the Redis store's `fault`: Redis refused
   * its password), in words safe to show; undefined while it can. @default no shared store to ask
   */
  readonly storeFault?: () => string | undefined;
  /** True while the gateway drains before it stops (`shutdownDelayMs`): `/healthz` answers 503. @default never */
  readonly draining?: () => boolean;
}

// The JSON routes, each under `/v1` at the gateway and below the endpoint's base URL upstream. Anthropic's SDK
// calls its beta surface (what Claude Code uses) as `/v1/messages?beta=true`: that one parameter goes upstream too.
// `/responses/input_tokens` (the SDK's `responses.inputTokens.count`) and `/responses/compact` may leave the model out,
// and so may `/responses` with a stored `prompt`, which chooses it.
const jsonRoutes: readonly { path: string; query?: readonly string[]; modelRequired?: boolean | 'unless-prompt' }[] = [
  { path: '/chat/completions' }, { path: '/completions' }, { path: '/embeddings' }, { path: '/responses', modelRequired: 'unless-prompt' },
  { path: '/responses/input_tokens', modelRequired: false }, { path: '/responses/compact', modelRequired: false },
  { path: '/messages', query: ['beta'] }, { path: '/messages/count_tokens', query: ['beta'] },
];

/** The Redis key prefix a config's fleet shares state under (`@detour/redis`'s default when it names none); null without. */
const storePrefix = (config: GatewayConfig): string | null =>
  config.store !== undefined && 'redis' in config.store ? (config.store.prefix ?? 'detour:') : null;

/**
 * The gateway: one Hono app shared by the Node and Workers entries. OpenAI's Chat Completions, Completions,
 * Embeddings and Responses routes and Anthropic's Messages routes behind gateway keys; `/healthz` and `/metrics` in
 * the open (they carry endpoint names and states, never keys). Errors use the caller's API's shape (Anthropic's on
 * `/v1/messages*`, OpenAI's elsewhere) with an honest status; relayed upstream text is scrubbed of upstream keys.
 */
export const createApp = ({ config, router, metrics, now, createAdapter = createWebAdapter, storeFault, draining }: AppParts): Hono => {
  const app = new Hono();
  // One expression finds every upstream credential raw, percent-encoded, JSON-escaped or base64-encoded; a text
  // with nothing to scrub costs one scan. Applied to everything relayed or shown: bodies, headers, /healthz.
  const scrub = createSecretScrubber(config.secrets);
  const adapter = createAdapter({ scrub });
  // Anthropic's clients list models too: with `anthropic-version`, their errors come in Anthropic's shape as well.
  const errorApi = (context: Context): ApiName | undefined =>
    apiOfRoute(context.req.path) ?? (context.req.path.startsWith('/v1/models') && adapter.header(context, 'anthropic-version') !== undefined ? 'messages' : undefined);

  app.get('/healthz', async (context) => {
    const endpoints = await router.health();
    // A store Redis refuses the password of serves each instance on its own state: the fleet shares no cooldown,
    // breaker or quota, and it will not heal until the configuration does, so the gateway is not healthy. (An outage,
    // which heals by itself, is no fault: the store waits it out on local state.)
    const fault = storeFault?.();
    const available = endpoints.some((endpoint) => endpoint.available) && fault === undefined;
    // Draining: the balancer should send new callers elsewhere, whatever the endpoints' state.
    const leaving = draining?.() === true;
    const admission = router.admission();
    return context.json(
      {
        status: leaving ? 'draining' : available ? 'ok' : 'unavailable',
        // The shared store, when there is one to ask: null without.
        // With its prefix: members that differ in it share nothing, and say so here (attack 19, F6).
        store: storeFault === undefined
          ? null
          : { status: fault === undefined ? 'ok' : 'unavailable', reason: fault === undefined ? null : scrub(fault), prefix: storePrefix(config) },
        endpoints: endpoints.map((endpoint) => ({
          name: endpoint.name, priority: endpoint.priority, available: endpoint.available, breaker: endpoint.breaker,
          apis: endpoint.apis,
          cooldownSeconds: Math.max(0, (Math.max(endpoint.cooldownUntil, endpoint.disabledUntil) - now()) / 1000),
          // Passed over after an overload while another endpoint can serve; still available.
          restingSeconds: Math.max(0, (endpoint.restingUntil - now()) / 1000),
          // Rate limits cool one model at a time: an endpoint can take other models while one is cooling.
          modelCooldownSeconds: Object.fromEntries(
            Object.entries(endpoint.modelCooldowns)
              .filter(([, until]) => until > now())
              .map(([model, until]) => [model, (until - now()) / 1000]),
          ),
          // Core scrubs reasons already; a store shared with older instances may still hold one that was not.
          reason: endpoint.reason === undefined ? null : scrub(endpoint.reason),
          // What admission believes is left of the endpoint's quota (requests, tokens, ...), and in how many seconds each
          // is whole again (a provider's reset); empty when unknown.
          quotaRemaining: endpoint.quota,
          quotaResetSeconds: Object.fromEntries(Object.entries(endpoint.quotaResetMs).map(([dimension, ms]) => [dimension, Number.isFinite(ms) ? ms / 1000 : null])),
        })),
        // Requests waiting for quota now, per priority class; null when admission is off.
        queue: admission === undefined ? null : { depth: admission.total, high: admission.high, normal: admission.normal, low: admission.low, reserved: admission.reserved },
      },
      available && !leaving ? 200 : 503,
    );
  });
  app.get('/metrics', async (context) => context.text(await metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));

  // The operator's view exists only with an admin key: without one these paths are 404 and nothing subscribes.
  if (config.adminKey !== undefined) registerAdminRoutes(app, { adminKey: config.adminKey, collector: createDashboardCollector(router, now), scrub });

  // Every /v1 route checks the gateway key first (see `gatewayAuthenticator` for why it is not middleware).
  const authenticate = gatewayAuthenticator({ keys: config.gatewayKeys, priorities: config.gatewayKeyPriorities, names: config.gatewayKeyNames, header: adapter.header });
  const behindKey = (handler: (context: Context, caller: GatewayCaller) => Response | Promise<Response>): Handler =>
    (context) => handler(context, authenticate(context));
  app.get('/v1/models', behindKey(modelsRoute({ modelApis: config.modelApis, header: adapter.header })));
  app.get('/v1/models/:id', behindKey(modelRoute({ modelApis: config.modelApis, header: adapter.header })));
  const { maxBodyBytes, maxJsonDepth } = config;
  // One for every route: it bounds the bodies the whole gateway holds.
  const bodyBudget = createBodyBudget(config.maxBodyBytesInFlight);
  // `/responses/<name>` routes (input_tokens, compact) are reached through one `/responses/:id` route: Hono's
  // RegExpRouter cannot hold a static segment beside `/responses/:id/cancel`, and one such pair made the whole app
  // fall back to its slower TrieRouter, paid on every request.
  const responsesByName = new Map<string, ReturnType<typeof proxyRoute>>();
  for (const { path, query, modelRequired } of jsonRoutes) {
    const handler = proxyRoute({ router, path, maxBodyBytes, maxJsonDepth, adapter, bodyBudget, ...(query ? { query } : {}), ...(modelRequired !== undefined ? { modelRequired } : {}) });
    const name = /^\/responses\/([^/]+)$/.exec(path)?.[1];
    if (name === undefined) app.post(`/v1${path}`, behindKey(handler));
    else responsesByName.set(name, handler);
  }
  app.post('/v1/responses/:id', behindKey((context, caller) => {
    const handler = responsesByName.get(context.req.param('id') ?? '');
    return handler ? handler(context, caller) : context.notFound();
  }));
  // Stored responses live with the endpoint (key, organisation) that created them: core pins these to it.
  app.get('/v1/responses/:id', behindKey(storedResponseRoute({ router, method: 'GET', adapter })));
  app.delete('/v1/responses/:id', behindKey(storedResponseRoute({ router, method: 'DELETE', adapter })));
  app.get('/v1/responses/:id/input_items', behindKey(storedResponseRoute({ router, method: 'GET', suffix: '/input_items', adapter })));
  app.post('/v1/responses/:id/cancel', behindKey(storedResponseRoute({ router, method: 'POST', suffix: '/cancel', adapter })));

  // An unknown path under /v1 still asks for a key first, as the routes beside it do: without one it is a 401, not a
  // 404 that would tell a stranger which paths exist.
  app.notFound((context) => {
    const { path } = context.req;
    if (path === '/v1' || path.startsWith('/v1/')) authenticate(context);
    // An Anthropic client that doubled its /v1 (its SDK adds one to a base URL that ends in it) reads its 404 in
    // Anthropic's shape; other unknown routes answer in the shape of the API the path names.
    const doubled = path.startsWith('/v1/v1/') && adapter.header(context, 'anthropic-version') !== undefined;
    const api = errorApi(context) ?? (doubled ? 'messages' : undefined);
    return notFoundResponse(context.req.method, path, api);
  });
  app.onError((error, context) => {
    const api = errorApi(context);
    if (error instanceof GatewayError) {
      metrics.rejected(error.code);
      return refusalResponse(error, api);
    }
    // The router reports every request it routed (request-end); errors it raised before routing (an unknown model,
    // a body over core's own limit) are counted here as refusals.
    if (!(error instanceof AttemptsExhaustedError) && !(error instanceof NoEndpointAvailableError)) {
      metrics.rejected(DetourError.isInstance(error) ? error.code : 'internal_error');
    }
    const response = errorResponse(error, scrub, api);
    if (error instanceof AttemptsExhaustedError && error.lastResponse?.status === 401) return upstreamAuthFailure(response, error, api);
    return response;
  });
  return app;
};
