import { createRequire } from 'node:module';

type FetchHandler = (request: Request, ...rest: never[]) => Response | Promise<Response>;

interface PropagationApi {
  readonly context: { active(): unknown; with<T>(context: unknown, fn: () => T): T };
  readonly propagation: {
    extract(context: unknown, carrier: Headers, getter: { get(carrier: Headers, key: string): string | undefined; keys(carrier: Headers): string[] }): unknown;
  };
}

const headersGetter = {
  get: (carrier: Headers, key: string) => carrier.get(key) ?? undefined,
  // Only `get` is needed by the W3C propagators; `keys` serves propagators that scan every header.
  keys: (carrier: Headers) => {
    const names: string[] = [];
    carrier.forEach((_value, name) => names.push(name));
    return names;
  },
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
  return ((request: Request, ...rest: never[]) => {
    if (!request.headers.has('traceparent')) return fetch(request, ...rest);
    const parent = api.propagation.extract(api.context.active(), request.headers, headersGetter);
    return api.context.with(parent, () => fetch(request, ...rest));
  }) as F;
};
