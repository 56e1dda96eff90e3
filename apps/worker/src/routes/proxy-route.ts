import { parsePriority, priorityHeader, type Router } from '@detour/core';
import type { Handler } from 'hono';
import { GatewayError } from '../middleware/gateway-error';
import { exceedsJsonDepth } from './json-depth';
import type { ProxyAdapter } from './proxy-adapter';

// Caller headers worth passing on; everything else (their key, cookies, hop-by-hop fields) stays here.
const forwarded = ['content-type', 'accept', 'user-agent', 'x-request-id'];
const decoder = new TextDecoder();
/** Longest model name accepted (providers' names are far shorter). */
export const maxModelNameLength = 256;

/**
 * Proxies one OpenAI route through the router. The body is read whole (it is small, and needed to replay attempts
 * and map model names), checked against the size limit and for JSON, then sent with the caller's signal so a
 * caller who leaves stops every attempt.
 */
export const proxyRoute = ({ router, path, maxBodyBytes, maxJsonDepth, adapter }: {
  router: Router; path: string; maxBodyBytes: number; maxJsonDepth: number; adapter: ProxyAdapter;
}): Handler =>
  async function proxy(context) {
    const declared = Number(adapter.header(context, 'content-length'));
    if (declared > maxBodyBytes) {
      adapter.refuseBody?.(context);
      throw new GatewayError('request_too_large', `The request body is ${declared} bytes; the limit is ${maxBodyBytes}.`);
    }
    let body = await adapter.readBody(context, maxBodyBytes);
    if (!body) throw new GatewayError('request_too_large', `The request body exceeds ${maxBodyBytes} bytes.`);
    // JSON parsers accept a UTF-8 byte order mark that some providers reject: forward the body without it.
    if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
    if (exceedsJsonDepth(body, maxJsonDepth)) {
      throw new GatewayError('json_too_deep', `The request body nests arrays and objects deeper than ${maxJsonDepth} levels (maxJsonDepth).`);
    }
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(body));
    } catch (error) {
      throw new GatewayError('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new GatewayError('invalid_json', 'The request body must be a JSON object.');
    const { model } = json as { model?: unknown };
    if (typeof model !== 'string') throw new GatewayError('invalid_request', 'You must provide a model parameter.');
    // Model names key per-model cooldowns, /healthz and metric labels: a bound on their length bounds all three.
    if (model.length > maxModelNameLength) {
      throw new GatewayError('invalid_request', `The model name is ${model.length} characters long; the limit is ${maxModelNameLength}.`);
    }
    const headers: Record<string, string> = {};
    for (const name of forwarded) {
      const value = adapter.header(context, name);
      if (value !== undefined) headers[name] = value;
    }
    // The caller's `x-detour-priority` wins over its key's default; an unknown value is ignored.
    const priority = parsePriority(adapter.header(context, priorityHeader)) ?? context.get('keyPriority');
    const result = await router.send({ method: 'POST', path, headers, body, json: json as Record<string, unknown>, signal: adapter.signal(context), priority });
    return adapter.respond(context, result);
  };
