import { createRequire } from 'node:module';
import { openTelemetryTracer, type OpenTelemetryApiLike, type Tracer } from '@detour/core';

let discovered: Tracer | null | undefined;

/**
 * The OpenTelemetry tracer of this process, when `@opentelemetry/api` is installed (an optional peer dependency);
 * undefined when it is not. Looked up once per process, synchronously, so `createFetch` stays synchronous: a missing
 * package costs one failed resolution at the first router, never a throw. The tracer comes from the API's global
 * proxy provider, so a provider registered later is still used, and until one is, each request costs one
 * non-recording span (see docs/tracing.md for the figures).
 */
export const discoverTracer = (): Tracer | undefined => {
  if (discovered !== undefined) return discovered ?? undefined;
  discovered = null;
  try {
    const require = createRequire(import.meta.url);
    const api = require('@opentelemetry/api') as OpenTelemetryApiLike;
    const { version } = require('../package.json') as { version?: string };
    discovered = openTelemetryTracer(api, { name: '@detour/node', version });
  } catch {
    // Not installed (or not loadable here): routers run untraced.
  }
  return discovered ?? undefined;
};
