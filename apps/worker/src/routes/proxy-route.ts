import { parsePriority, priorityHeader, type Router } from '@detour/core';
import { maxModelNameLength } from '@detour/core/binding';
import type { Context } from 'hono';
import type { GatewayCaller } from '../middleware/gateway-auth';
import { GatewayError } from '../middleware/gateway-error';
import { exceedsJsonDepth } from './json-depth';
import { forwardedHeaders } from './forwarded-headers';
import type { BodyBudget } from './body-budget';
import type { ProxyAdapter } from './proxy-adapter';

const decoder = new TextDecoder();

/** The named query parameters the caller sent, as `?name=value&…`, or '' (the common case costs no URL parse). */
const forwardedQuery = (context: Context, names: readonly string[]): string => {
  if (names.length === 0 || !context.req.url.includes('?')) return '';
  const kept = new URLSearchParams();
  for (const name of names) for (const value of context.req.queries(name) ?? []) kept.append(name, value);
  const text = kept.toString();
  return text ? `?${text}` : '';
};
const controlCharacter = /[\u0000-\u001f\u007f]/;
// A lone surrogate is valid in a JSON string but not in UTF-8: written out (metrics, logs) every one becomes U+FFFD,
// so two different names would be one label, and /metrics would list the same series twice.
const loneSurrogate = /\p{Cs}/u;
// `identity` (no coding), listed any number of times, or nothing: what Node makes of repeated headers too.
const identityOnly = /^[\s,]*(identity[\s,]*)*$/i;

/**
 * Proxies one JSON route (`/chat/completions`, `/responses`, `/messages`…) through the router. The body is read
 * whole (it is small, and needed to replay attempts and map model names), checked against the size limit and for
 * JSON, then sent with the caller's signal so a caller who leaves stops every attempt. The caller's query string is
 * not forwarded, except the parameters named in `query`.
 */
export const proxyRoute = ({ router, path, maxBodyBytes, maxJsonDepth, adapter, bodyBudget, query = [], modelRequired = true }: {
  router: Router; path: string; maxBodyBytes: number; maxJsonDepth: number; adapter: ProxyAdapter;
  /** The bytes of request bodies the requests in flight hold together, shared by every route. */
  bodyBudget: BodyBudget;
  /** Query parameters passed upstream when the caller sends them (`beta` on `/messages`). @default none */
  query?: readonly string[];
  /**
   * Whether the body must name a `model` (400 otherwise): `true`, `false`, or `'unless-prompt'` (the Responses API,
   * where a stored prompt in `prompt` may choose the model). Without one, the request may go to any endpoint that
   * speaks its API. @default true
   */
  modelRequired?: boolean | 'unless-prompt';
}): ((context: Context, caller: GatewayCaller) => Promise<Response>) =>
  async function proxy(context, caller) {
    // Read as JSON, a compressed body failed as `invalid_json` with its bytes quoted back; name the header instead.
    const encoding = adapter.header(context, 'content-encoding');
    if (encoding !== undefined && !identityOnly.test(encoding)) {
      throw new GatewayError('unsupported_encoding', `The request body is encoded as "${encoding.slice(0, 64)}" (Content-Encoding); send it uncompressed.`);
    }
    const declared = Number(adapter.header(context, 'content-length'));
    if (declared > maxBodyBytes) {
      throw new GatewayError('request_too_large', `The request body is ${declared} bytes; the limit is ${maxBodyBytes}.`);
    }
    // The body's share of what bodies in flight may hold, grown as its bytes arrive; held until the answer is
    // finished (a stream keeps its body to the end, to rescue it), or the request failed.
    const share = bodyBudget.open();
    try {
      const body = await adapter.readBody(context, maxBodyBytes, share);
      if (!body) throw new GatewayError('request_too_large', `The request body exceeds ${maxBodyBytes} bytes.`);
      const { sent, json } = checkedBody(body, maxJsonDepth, modelRequired);
      const headers = forwardedHeaders(adapter, context);
      // The caller's `x-detour-priority` wins over its key's default; an unknown value is ignored.
      const priority = parsePriority(adapter.header(context, priorityHeader)) ?? caller.priority;
      const result = await router.send({
        method: 'POST', path: path + forwardedQuery(context, query), headers, body: sent, json, signal: adapter.signal(context), priority, caller: caller.name,
      });
      return adapter.respond(context, result);
    } finally {
      adapter.afterAnswer(context, share.release);
    }
  };

/**
 * The body checked and parsed: JSON (within `maxJsonDepth`), an object, and a model name as `modelRequired` asks,
 * within the length bound, without control characters or lone surrogates. `sent` is what goes upstream.
 */
const checkedBody = (
  received: Uint8Array, maxJsonDepth: number, modelRequired: boolean | 'unless-prompt',
): { sent: Uint8Array; json: Record<string, unknown> } => {
  // JSON parsers accept a UTF-8 byte order mark that some providers reject: forward the body without it.
  const body = received[0] === 0xef && received[1] === 0xbb && received[2] === 0xbf ? received.subarray(3) : received;
  const text = decoder.decode(body);
  if (exceedsJsonDepth(text, maxJsonDepth)) {
    throw new GatewayError('json_too_deep', `The request body nests arrays and objects deeper than ${maxJsonDepth} levels (maxJsonDepth).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GatewayError('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new GatewayError('invalid_json', 'The request body must be a JSON object.');
  const { model, prompt } = json as { model?: unknown; prompt?: unknown };
  const promptChooses = modelRequired === 'unless-prompt' && typeof prompt === 'object' && prompt !== null && !Array.isArray(prompt);
  const optional = (modelRequired === false || promptChooses) && (model === undefined || model === null);
  if ((typeof model !== 'string' || model === '') && !optional) throw new GatewayError('invalid_request', 'You must provide a model parameter.');
  // Model names key per-model cooldowns, /healthz and metric labels: a bound on their length bounds all three.
  if (typeof model === 'string' && model.length > maxModelNameLength) {
    throw new GatewayError('invalid_request', `The model name is ${model.length} characters long; the limit is ${maxModelNameLength}.`);
  }
  // No provider names a model with a control character; in one it would reach logs, terminals and keys as is.
  if (typeof model === 'string' && controlCharacter.test(model)) {
    throw new GatewayError('invalid_request', 'The model name contains a control character.');
  }
  if (typeof model === 'string' && loneSurrogate.test(model)) {
    throw new GatewayError('invalid_request', 'The model name is not well-formed Unicode (it holds a lone surrogate).');
  }
  return { sent: body, json: json as Record<string, unknown> };
};
