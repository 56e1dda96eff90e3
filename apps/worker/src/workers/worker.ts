import { createRouter } from '@detour/edge';
import type { ExecutionContext, Hono } from 'hono';
import { createApp } from '../app';
import { loadConfig } from '../config/load-config';
import { createGatewayMetrics } from '../metrics/gateway-metrics';
import { createDurableObjectStore, type StateObjectNamespace } from '../state/durable-object-store';

// Wrangler binds the Durable Object class by its export from the main module.
export { DetourStateObject } from '../state/detour-state-object';

/** The Worker's bindings: the config as JSON text, secrets it names with `{ "env": … }`, a Durable Object binding. */
export interface WorkerEnv {
  readonly DETOUR_CONFIG: string;
  readonly [name: string]: unknown;
}

// One app per isolate: breaker, cooldown and budget state persist across the requests it serves.
let app: Hono | undefined;
// Background writes to the Durable Object are kept alive by whichever request is being served.
let latestContext: ExecutionContext | undefined;

const build = (env: WorkerEnv): Hono => {
  let json: unknown;
  try {
    json = JSON.parse(env.DETOUR_CONFIG);
  } catch (error) {
    throw new Error(`DETOUR_CONFIG is not valid JSON: ${(error as Error).message}`);
  }
  const config = loadConfig(json, env, 'gateway config (DETOUR_CONFIG)');
  let store;
  if (config.store && 'durableObject' in config.store) {
    const namespace = env[config.store.durableObject] as StateObjectNamespace | undefined;
    if (!namespace) throw new Error(`store.durableObject names the binding "${config.store.durableObject}", which this Worker does not have`);
    store = createDurableObjectStore({ namespace, waitUntil: (promise) => latestContext?.waitUntil(promise) });
  } else if (config.store) {
    throw new Error('store.redis works on Node only; on Workers use store.durableObject');
  }
  const router = createRouter(config.router, store ? { store } : {});
  return createApp({ config, router, metrics: createGatewayMetrics(router, () => Date.now()), now: () => Date.now() });
};

/** The Workers entry: the same app as on Node, with the transport from @detour/edge. */
export default {
  fetch(request: Request, env: WorkerEnv, context: ExecutionContext): Response | Promise<Response> {
    latestContext = context;
    app ??= build(env);
    return app.fetch(request, env, context);
  },
};
