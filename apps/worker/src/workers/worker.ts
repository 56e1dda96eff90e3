import { createRouter } from '@detour/edge';
import type { ExecutionContext, Hono } from 'hono';
import { createApp } from '../app';
import { loadConfig } from '../config/load-config';
import { createGatewayMetrics } from '../metrics/gateway-metrics';

/** The Worker's bindings: the config as JSON text, plus any secrets it names with `{ "env": … }`. */
export interface WorkerEnv {
  readonly DETOUR_CONFIG: string;
  readonly [name: string]: unknown;
}

// One app per isolate: breaker, cooldown and budget state persist across the requests it serves.
let app: Hono | undefined;

const build = (env: WorkerEnv): Hono => {
  let json: unknown;
  try {
    json = JSON.parse(env.DETOUR_CONFIG);
  } catch (error) {
    throw new Error(`DETOUR_CONFIG is not valid JSON: ${(error as Error).message}`);
  }
  const config = loadConfig(json, env, 'gateway config (DETOUR_CONFIG)');
  const router = createRouter(config.router);
  return createApp({ config, router, metrics: createGatewayMetrics(router, () => Date.now()), now: () => Date.now() });
};

/** The Workers entry: the same app as on Node, with the transport from @detour/edge. */
export default {
  fetch(request: Request, env: WorkerEnv, context: ExecutionContext): Response | Promise<Response> {
    app ??= build(env);
    return app.fetch(request, env, context);
  },
};
