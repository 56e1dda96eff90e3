import { AttemptsExhaustedError, createSecretScrubber, DetourError, NoEndpointAvailableError, type Router } from '@detour/core';
import { errorResponse, openAiErrorBody } from '@detour/core/binding';
import { Hono } from 'hono';
import type { GatewayConfig } from './config/load-config';
import type { GatewayMetrics } from './metrics/gateway-metrics';
import { gatewayAuth } from './middleware/gateway-auth';
import { GatewayError } from './middleware/gateway-error';
import { createWebAdapter, type ProxyAdapter } from './routes/proxy-adapter';
import { proxyRoute } from './routes/proxy-route';

/** What the app is built from; the Node and Workers entries differ only in how they make these. */
export interface AppParts {
  readonly config: GatewayConfig;
  readonly router: Router;
  readonly metrics: GatewayMetrics;
  readonly now: () => number;
  /** How requests are read and answers written, given the scrubber. @default the Web adapter */
  readonly createAdapter?: (options: { scrub: (text: string) => string }) => ProxyAdapter;
}

/**
 * An upstream's 401 is about the gateway's key for it, not the caller's: relayed as is, SDKs raise
 * `AuthenticationError` and callers blame (and rotate) their own gateway key. Answer 502 `upstream_auth_failed`
 * instead, naming the endpoint and keeping the upstream's (scrubbed) message.
 */
const upstreamAuthFailure = async (relayed: Response, error: AttemptsExhaustedError): Promise<Response> => {
  const endpoint = error.attempts.at(-1)?.endpoint ?? 'upstream';
  const relayedBody = (await relayed.json().catch(() => undefined)) as { error?: { message?: unknown } } | undefined;
  const upstreamMessage = typeof relayedBody?.error?.message === 'string' ? ` It said: ${relayedBody.error.message}` : '';
  const message = `The upstream endpoint "${endpoint}" rejected the gateway's credentials for it (HTTP 401); your gateway key was accepted.${upstreamMessage}`;
  const headers = new Headers(relayed.headers);
  headers.set('content-type', 'application/json');
  headers.set('x-detour-error', 'upstream_auth_failed');
  return new Response(openAiErrorBody(message, 'upstream_error', 'upstream_auth_failed'), { status: 502, headers });
};

/**
 * The gateway: one Hono app shared by the Node and Workers entries. OpenAI-compatible routes behind gateway keys,
 * `/healthz` and `/metrics` in the open (they carry endpoint names and states, never keys). Every error is
 * OpenAI-style JSON with an honest status; relayed upstream text is scrubbed of upstream keys.
 */
export const createApp = ({ config, router, metrics, now, createAdapter = createWebAdapter }: AppParts): Hono => {
  const app = new Hono();
  // One expression finds every upstream credential raw, percent-encoded, JSON-escaped or base64-encoded; a text
  // with nothing to scrub costs one scan. Applied to everything relayed or shown: bodies, headers, /healthz.
  const scrub = createSecretScrubber(config.secrets);
  const adapter = createAdapter({ scrub });

  app.get('/healthz', async (context) => {
    const endpoints = await router.health();
    const available = endpoints.some((endpoint) => endpoint.available);
    const admission = router.admission();
    return context.json(
      {
        status: available ? 'ok' : 'unavailable',
        endpoints: endpoints.map((endpoint) => ({
          name: endpoint.name, priority: endpoint.priority, available: endpoint.available, breaker: endpoint.breaker,
          cooldownSeconds: Math.max(0, (Math.max(endpoint.cooldownUntil, endpoint.disabledUntil) - now()) / 1000),
          // Rate limits cool one model at a time: an endpoint can take other models while one is cooling.
          modelCooldownSeconds: Object.fromEntries(
            Object.entries(endpoint.modelCooldowns)
              .filter(([, until]) => until > now())
              .map(([model, until]) => [model, (until - now()) / 1000]),
          ),
          // Core scrubs reasons already; a store shared with older instances may still hold one that was not.
          reason: endpoint.reason === undefined ? null : scrub(endpoint.reason),
          // What admission believes is left of the endpoint's quota (requests, tokens…); empty when unknown.
          quotaRemaining: endpoint.quota,
        })),
        // Requests waiting for quota now, per priority class; null when admission is off.
        queue: admission === undefined ? null : { depth: admission.total, high: admission.high, normal: admission.normal, low: admission.low, reserved: admission.reserved },
      },
      available ? 200 : 503,
    );
  });
  app.get('/metrics', async (context) => context.text(await metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));

  app.use('/v1/*', gatewayAuth({ keys: config.gatewayKeys, priorities: config.gatewayKeyPriorities, header: adapter.header }));
  app.get('/v1/models', (context) =>
    context.json({ object: 'list', data: config.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'detour' })) }),
  );
  const { maxBodyBytes, maxJsonDepth } = config;
  for (const path of ['/chat/completions', '/completions', '/embeddings']) {
    app.post(`/v1${path}`, proxyRoute({ router, path, maxBodyBytes, maxJsonDepth, adapter }));
  }

  app.notFound((context) =>
    context.body(openAiErrorBody(`Unknown route ${context.req.method} ${context.req.path}.`, 'invalid_request_error', 'not_found'), 404, {
      'content-type': 'application/json',
    }),
  );
  app.onError((error) => {
    if (error instanceof GatewayError) {
      metrics.rejected(error.code);
      const headers = { 'content-type': 'application/json', 'x-detour-error': error.code };
      return new Response(openAiErrorBody(error.message, 'invalid_request_error', error.code === 'unauthorized' ? 'invalid_api_key' : error.code), { status: error.status, headers });
    }
    // The router reports every request it routed (request-end); errors it raised before routing (an unknown model,
    // a body over core's own limit) are counted here as refusals.
    if (!(error instanceof AttemptsExhaustedError) && !(error instanceof NoEndpointAvailableError)) {
      metrics.rejected(DetourError.isInstance(error) ? error.code : 'internal_error');
    }
    const response = errorResponse(error, scrub);
    if (error instanceof AttemptsExhaustedError && error.lastResponse?.status === 401) return upstreamAuthFailure(response, error);
    return response;
  });
  return app;
};
