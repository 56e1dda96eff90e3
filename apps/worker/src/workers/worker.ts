import { errorResponse, systemClock } from '@detour/core/binding';
import { InvalidOptionsError } from '@detour/core';
import { createRouter } from '@detour/edge';
import type { ExecutionContext, Hono } from 'hono';
import { createApp } from '../app';
import { apiOfRoute } from '../apis/route-api';
import { loadConfig } from '../config/load-config';
import { configFromBinding } from './config-binding';
import { createGatewayMetrics } from '../metrics/gateway-metrics';
import { createDurableObjectStore, type DurableObjectStore, type StateObjectNamespace } from '@detour/cloudflare';

// Wrangler binds the Durable Object class by its export from the main module.
export { DetourStateObject } from '@detour/cloudflare';

/**
 * The Worker's bindings: the config as JSON text (or as an object, which a `[vars]` table in wrangler.toml or an
 * object in wrangler.json binds), secrets it names with `{ "env": … }`, a Durable Object binding.
 */
export interface WorkerEnv {
  readonly DETOUR_CONFIG: string | Readonly<Record<string, unknown>>;
  readonly [name: string]: unknown;
}

interface Gateway {
  readonly app: Hono;
  readonly store: DurableObjectStore | undefined;
}

/**
 * The config with the Workers default of `maxBodyBytes` (10 MiB) when it sets none: an isolate has 128 MB, and a body
 * is held about three times over (its bytes, its text, its parsed JSON), so Node's 32 MiB default would put one
 * request near the isolate's limit.
 */
const withWorkersDefaults = (json: unknown): unknown =>
  typeof json === 'object' && json !== null && !Array.isArray(json) && !Object.hasOwn(json, 'maxBodyBytes')
    ? { maxBodyBytes: 10 * 1024 * 1024, ...json }
    : json;

// One gateway per isolate: breaker, cooldown and budget state persist across the requests it serves. A bad config
// is remembered too, and answered as JSON on every request rather than re-parsed each time.
let gateway: Gateway | Error | undefined;

const build = (env: WorkerEnv): Gateway => {
  const config = loadConfig(withWorkersDefaults(configFromBinding(env.DETOUR_CONFIG)), env, 'gateway config (DETOUR_CONFIG)');
  let store: DurableObjectStore | undefined;
  if (config.store && 'durableObject' in config.store) {
    const namespace = env[config.store.durableObject] as StateObjectNamespace | undefined;
    if (!namespace) {
      throw new InvalidOptionsError([{ path: 'store.durableObject', message: `this Worker has no binding named "${config.store.durableObject}"` }], 'gateway config');
    }
    store = createDurableObjectStore({ namespace });
  } else if (config.store) {
    throw new InvalidOptionsError([{ path: 'store.redis', message: 'Redis works on Node only; on Workers use store.durableObject' }], 'gateway config');
  }
  const router = createRouter(config.router, store ? { store } : {});
  const app = createApp({ config, router, metrics: createGatewayMetrics(router, systemClock.now), now: systemClock.now });
  return { app, store };
};

/** The Workers entry: the same app as on Node, with the transport from @detour/edge. */
export default {
  async fetch(request: Request, env: WorkerEnv, context: ExecutionContext): Promise<Response> {
    if (gateway === undefined) {
      try {
        gateway = build(env);
      } catch (error) {
        // The operator reads what is wrong in the Worker's logs (`wrangler tail`); callers, who may be anyone, are
        // not told the config's paths and variable names.
        console.error(error instanceof Error ? error.message : String(error));
        gateway = new InvalidOptionsError([{ path: 'DETOUR_CONFIG', message: 'has issues, named in the Worker\'s logs (wrangler tail)' }], 'gateway config');
      }
    }
    // A Messages caller reads errors in Anthropic's shape, a bad config's included.
    if (gateway instanceof Error) return errorResponse(gateway, undefined, apiOfRoute(new URL(request.url).pathname));
    const response = await gateway.app.fetch(request, env, context);
    const store = gateway.store;
    if (!store) return response;
    // Writes to the Durable Object run in the background: keep this request alive until they have landed. A stream
    // settles (and may record a breaker failure) only when it ends, so wait for its end first.
    if (!response.body) {
      context.waitUntil(store.settled());
      return response;
    }
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const piped = response.body.pipeTo(writable).catch(() => undefined);
    context.waitUntil(piped.then(() => store.settled()));
    return new Response(readable, response);
  },
};
