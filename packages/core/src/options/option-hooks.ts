// The parts of the option schemas that are code rather than shape: a transform, a refinement and the cross-field
// checks. Named and kept free of zod, so the zod schemas and the compiled rules (option-rules.ts) run the same
// functions.
import { upstreamModelName } from '../engine/prepare-request';
import { defaultApiKeyHeader, endpointApis } from '../apis/endpoint-apis';
import type { ApiName } from '../apis/api-name';
import type { Endpoint, ParsedEndpoint } from './endpoint-schema';
import type { RefineContext } from './rules';

/** The reasons a model can fall back for, as `fallbacks` names them. */
export const fallbackReasons = ['contextLength', 'contentPolicy'] as const;

/** Gives a parsed endpoint the defaults that depend on its provider (`apis`, `apiKeyHeader`). */
export const resolveEndpoint = (endpoint: ParsedEndpoint) => ({
  ...endpoint,
  apiKeyHeader: endpoint.apiKeyHeader ?? defaultApiKeyHeader(endpoint.provider),
  // A copy, so parsed options can be passed back in as input (and the defaults stay frozen and shared).
  apis: [...endpointApis(endpoint)],
  // A request's header names arrive lowercased: an endpoint's `OpenAI-Organization` was sent beside the caller's
  // `openai-organization`, both values joined by a comma, where it should replace it.
  ...(endpoint.headers === undefined ? {} : { headers: lowercaseNames(endpoint.headers) }),
});

// fromEntries defines each name as an own property: a header named `__proto__` stays a header.
const lowercaseNames = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** `headers` names each header once, ignoring case (`X-Title` and `x-title` would be one header sent twice). */
export const eachHeaderOnce = (headers: Readonly<Record<string, string>>): boolean => {
  const names = Object.keys(headers);
  return new Set(names.map((name) => name.toLowerCase())).size === names.length;
};

/** `apis` lists each API once. */
export const eachApiOnce = (apis: readonly ApiName[]): boolean => new Set(apis).size === apis.length;

/**
 * `baseUrl` carries no user or password: the transports never send them (a request goes to the URL's origin and
 * path), and the URL is printed and logged where a key never is.
 */
export const noUrlCredentials = (url: string): boolean => {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  return !authority.includes('@');
};

/**
 * `baseUrl` has no query or fragment: each request's path is appended to it, so `?key=…` would swallow the path
 * (the upstream saw `/v1?key=…/chat/completions`) and a fragment would drop it. Query parameters go in `query`.
 */
export const noUrlQuery = (url: string): boolean => !/[?#]/.test(url);

// RFC 9110 field names (tokens), and values of tab, visible ASCII, space and Latin-1 (undici's rule, the stricter of
// the two transports; Web fetch refuses line breaks, NUL and anything past Latin-1): a transport refuses anything
// else, on every request.
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;
// A key is a token (RFC 6750's b64token and every provider's keys): visible ASCII, no spaces.
const keyCharacters = /^[\x21-\x7e]+$/;
// Framing and routing headers the transport sets from the request itself: a fixed value would break every request.
const transportHeaders = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'keep-alive', 'expect']);

/** `headers` are ones HTTP can carry: the endpoint would otherwise fail every request it is sent. */
export const validHeaders = (headers: Readonly<Record<string, string>>): boolean =>
  Object.entries(headers).every(([name, value]) => headerName.test(name) && headerValue.test(value));

/** `headers` leave the transport's own headers alone. */
export const noTransportHeaders = (headers: Readonly<Record<string, string>>): boolean =>
  Object.keys(headers).every((name) => !transportHeaders.has(name.toLowerCase()));

/**
 * `apiKey` is sent as a header on every request: a key with a line break, a pasted `…` or any character past ASCII
 * failed every request inside the transport, as a network error that never opened the breaker.
 */
export const printableKey = (value: string): boolean => keyCharacters.test(value);

/**
 * A key in quotes is a key with its quotes: an env file that keeps them (`docker --env-file`, some `.env` loaders)
 * sent `"sk-…"`, every request got a 401, and the endpoint was disabled for `cooldown.disableMs` (attack 19).
 */
export const unquotedKey = (value: string): boolean => !/^(["']).*\1$/.test(value);

type ModelFallback = { readonly contextLength?: string | undefined; readonly contentPolicy?: string | undefined };

const servedBySome = (endpoints: readonly Endpoint[], model: string): boolean =>
  endpoints.some((endpoint) => upstreamModelName(endpoint, model) !== undefined);

/** Adds an issue for every fallback that names an unserved model, itself, or a loop. */
const checkFallbacks = (
  endpoints: readonly Endpoint[],
  fallbacks: Readonly<Record<string, ModelFallback>>,
  addIssue: (path: (string | number)[], message: string) => void,
): void => {
  for (const [model, fallback] of Object.entries(fallbacks)) {
    if (fallback === null || typeof fallback !== 'object') continue;
    if (fallback.contextLength === undefined && fallback.contentPolicy === undefined) {
      addIssue(['fallbacks', model], 'give contextLength, contentPolicy or both');
    }
    if (!servedBySome(endpoints, model)) addIssue(['fallbacks', model], `no endpoint serves the model "${model}"`);
    for (const reason of fallbackReasons) {
      const target = fallback[reason];
      if (target === undefined) continue;
      if (target === model) addIssue(['fallbacks', model, reason], `"${model}" cannot fall back to itself`);
      else if (!servedBySome(endpoints, target)) addIssue(['fallbacks', model, reason], `no endpoint serves the fallback model "${target}"`);
      // Follow the chain for this reason: a loop would bounce a request between models until maxAttempts.
      const chain = [model];
      let next: string | undefined = target;
      while (next !== undefined && !chain.includes(next)) {
        chain.push(next);
        next = Object.hasOwn(fallbacks, next) ? (fallbacks[next] as Partial<Record<string, string>> | null)?.[reason] : undefined;
      }
      if (next !== undefined && next !== target && next === model) addIssue(['fallbacks', model, reason], `fallbacks form a loop: ${[...chain, next].join(' → ')}`);
    }
  }
};

/** The checks across fields of router options: unique endpoint names, and fallbacks that lead somewhere. */
export const checkRouterOptions = (
  options: { readonly endpoints: readonly Endpoint[]; readonly fallbacks?: Readonly<Record<string, ModelFallback>> | undefined },
  context: RefineContext,
): void => {
  const seen = new Set<string>();
  options.endpoints.forEach((endpoint, index) => {
    if (seen.has(endpoint.name)) {
      context.addIssue({ code: 'custom', path: ['endpoints', index, 'name'], message: `duplicate endpoint name "${endpoint.name}"`, input: endpoint.name });
    }
    seen.add(endpoint.name);
  });
  // Runs after other issues too: only well-formed endpoints and fallbacks are compared.
  if (options.fallbacks !== null && typeof options.fallbacks === 'object' && Array.isArray(options.endpoints)) {
    const endpoints = options.endpoints.filter((endpoint) => endpoint !== null && typeof endpoint === 'object');
    checkFallbacks(endpoints, options.fallbacks, (path, message) => context.addIssue({ code: 'custom', path, message, input: options.fallbacks }));
  }
};
