import type { RouteResult } from '../engine/router';
import type { UpstreamHeaders } from '../ports/transport';

/**
 * Upstream headers never passed on: the upstream connection's own (hop-by-hop, length and encoding of a body that
 * is re-sent), and what belongs to the upstream account rather than the caller (its cookies and auth challenges).
 */
export const unrelayedHeaders: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'content-length', 'content-encoding', 'set-cookie', 'www-authenticate', 'proxy-authenticate',
]);

const keep = (text: string) => text;

const onlyConnectionOptions = /^\s*(?:keep-alive|close)\s*$/i;

/**
 * The other hop-by-hop headers of an upstream answer: those its `Connection` header names (RFC 9110 §7.6.1), which
 * belong to that connection and must not be passed on. Undefined when it names none besides `close` and
 * `keep-alive` (nearly always, so nothing is parsed or allocated then).
 */
export const connectionListedHeaders = (headers: UpstreamHeaders): ReadonlySet<string> | undefined => {
  const connection = headers.connection;
  if (connection === undefined || (typeof connection === 'string' && onlyConnectionOptions.test(connection))) return undefined;
  let listed: Set<string> | undefined;
  for (const value of typeof connection === 'string' ? [connection] : connection) {
    for (const token of value.split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '' && name !== 'close' && name !== 'keep-alive') (listed ??= new Set()).add(name);
    }
  }
  return listed;
};

/**
 * Whether a header name is in Detour's own namespace (`x-detour-*`). An upstream's are never relayed: a caller reads
 * them as Detour's word (an upstream's `x-detour-cost-usd: 1000` reached callers on an unpriced model).
 */
export const isDetourHeader = (name: string): boolean => name.startsWith('x-detour-');

/**
 * Copies upstream headers into Web `Headers`, keeping repeated fields, dropping {@link unrelayedHeaders}, those
 * the upstream's `Connection` names and any in Detour's own namespace ({@link isDetourHeader}), and passing each
 * value through `scrub` (a gateway removes its upstream keys with it).
 */
export const toWebHeaders = (headers: UpstreamHeaders, scrub: (text: string) => string = keep): Headers => {
  const web = new Headers();
  const listed = connectionListedHeaders(headers);
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || unrelayedHeaders.has(name) || listed?.has(name) || isDetourHeader(name)) continue;
    if (typeof value === 'string') web.set(name, scrub(value));
    else for (const item of value) web.append(name, scrub(item));
  }
  return web;
};

/**
 * The `x-detour-model` value for a public model name. Callers choose model names, and a header value must be
 * visible ASCII: any other name is sent percent-encoded (`encodeURIComponent`), so no name can break the answer. A
 * lone surrogate (JSON's `"\ud800"`), which `encodeURIComponent` throws on after the upstream has answered, is sent
 * as U+FFFD.
 */
export const modelHeaderValue = (model: string): string =>
  /^[\x20-\x7e]*$/.test(model) ? model : encodeURIComponent(model.replace(/[\ud800-\udfff]/gu, '\ufffd'));

/**
 * The headers every Detour answer carries: who served it, which public model (a fallback's when one served), after
 * how many attempts, and at what cost.
 */
export const setDetourHeaders = (headers: Headers, result: Pick<RouteResult, 'endpoint' | 'attempts' | 'costUsd'> & { readonly model?: string | undefined }): void => {
  headers.set('x-detour-endpoint', result.endpoint);
  if (result.model !== undefined) headers.set('x-detour-model', modelHeaderValue(result.model));
  headers.set('x-detour-attempts', String(result.attempts.length));
  if (result.costUsd !== undefined) headers.set('x-detour-cost-usd', result.costUsd.toFixed(8));
};

/**
 * Wraps a guarded upstream stream in a Web `ReadableStream`: pulls on demand, cancels upstream when the reader does.
 * A cut errors the stream, unless `endCut` is given: then the stream ends with the bytes it returns (an SSE error
 * event) and closes. A runtime that serves the stream over HTTP and turns an errored body into a clean end (workerd
 * does) needs that event, or SDKs would read a cut answer as a whole one.
 */
export const toReadableStream = (stream: AsyncIterableIterator<Uint8Array>, endCut?: (error: unknown) => Uint8Array): ReadableStream<Uint8Array> =>
  new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await stream.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        // An interrupted stream must reach the reader as an error, never as a clean close. One that already ended
        // with Detour's SSE error event closes instead: erroring the stream would drop that event, unread.
        if ((error as { sentAsEvent?: unknown } | undefined)?.sentAsEvent === true) controller.close();
        else if (endCut) {
          controller.enqueue(endCut(error));
          controller.close();
        } else controller.error(error);
      }
    },
    async cancel(reason) {
      await stream.return?.(reason);
    },
  });

const nullBodyStatuses = new Set([101, 204, 205, 304]);

/**
 * Builds the Web `Response` a fetch caller sees for a served request; `scrub` rewrites relayed header values, and
 * `endCut`, when given, ends a cut stream with its event (see {@link toReadableStream}).
 */
export const toResponse = (result: RouteResult, scrub: (text: string) => string = keep, endCut?: (error: unknown) => Uint8Array): Response => {
  const headers = toWebHeaders(result.headers, scrub);
  setDetourHeaders(headers, result);
  let body: BodyInit | null = null;
  // Responses to HEAD and these statuses may not carry a body: the Response constructor throws on one.
  if (nullBodyStatuses.has(result.status)) void result.stream?.return?.();
  else if (result.stream) body = toReadableStream(result.stream, endCut);
  else if (result.body && result.body.byteLength > 0) body = result.body as Uint8Array<ArrayBuffer>;
  return new Response(body, { status: result.status, headers });
};
