import { createRequire } from 'node:module';

import type { IncomingHttpHeaders } from 'node:http';
import type { HttpBindings } from '@hono/node-server';

type FetchHandler = (request: Request, env: HttpBindings, ...rest: never[]) => Response | Promise<Response>;

interface PropagationApi {
  readonly context: { active(): unknown; with<T>(context: unknown, fn: () => T): T };
  readonly trace: { getSpanContext(context: unknown): unknown; deleteSpan(context: unknown): unknown };
  readonly propagation: {
    extract(
      context: unknown,
      carrier: IncomingHttpHeaders,
      getter: { get(carrier: IncomingHttpHeaders, key: string): string | string[] | undefined; keys(carrier: IncomingHttpHeaders): string[] },
    ): unknown;
  };
}

// Node's own header object (names lower-cased), as OpenTelemetry's HTTP instrumentation reads it: the Web `Headers`
// of @hono/node-server's request would be built from it afresh on every request just to look for one name.
const headersGetter = {
  get: (carrier: IncomingHttpHeaders, key: string) => carrier[key],
  // Only `get` is needed by the W3C propagators; `keys` serves propagators that scan every header.
  keys: (carrier: IncomingHttpHeaders) => Object.keys(carrier),
};

const loadApi = (): PropagationApi | undefined => {
  try {
    return createRequire(import.meta.url)('@opentelemetry/api') as PropagationApi;
  } catch {
    return undefined;
  }
};

/**
 * Continues a caller's trace: a request carrying a W3C `traceparent` header is handled inside the context it
 * names, so Detour's request span joins the caller's trace (with the process's registered propagator and context
 * manager, as `NodeTracerProvider.register()` installs). Requests without the header, and processes without
 * `@opentelemetry/api`, go straight through.
 */
export const withTraceContext = <F extends FetchHandler>(fetch: F): F => {
  const api = loadApi();
  if (!api) return fetch;
  return ((request: Request, env: HttpBindings, ...rest: never[]) => {
    const headers = env.incoming.headers;
    if (headers.traceparent === undefined) return fetch(request, env, ...rest);
    const parent = api.propagation.extract(api.context.active(), headers, headersGetter);
    return api.context.with(parent, () => fetch(request, env, ...rest));
  }) as F;
};

/**
 * Starts every request's trace afresh (`traceContext: "ignore"`): the handler runs in the active context with its
 * span taken out. Not joining the caller's `traceparent` is not enough where an HTTP server instrumentation
 * (`@opentelemetry/instrumentation-http`, registered with `--import`) has already started a span from it: Detour's
 * request span takes the active span as its parent, and so joined the caller's trace, its sampling flag and its
 * `tracestate` all the same (attack 21's review). Detour's spans are then not children of that server span. Processes
 * without `@opentelemetry/api`, and requests with no active span, go straight through.
 */
export const withoutTraceContext = <F extends FetchHandler>(fetch: F): F => {
  const api = loadApi();
  if (!api) return fetch;
  return ((request: Request, env: HttpBindings, ...rest: never[]) => {
    const active = api.context.active();
    if (api.trace.getSpanContext(active) === undefined) return fetch(request, env, ...rest);
    return api.context.with(api.trace.deleteSpan(active), () => fetch(request, env, ...rest));
  }) as F;
};
