import { maxModelNameLength } from '../apis/model-name';
import { isReplayable } from '../apis/replayable-request';
import { DetourError } from '../errors/detour-error';
import { copyOwn } from './copy-own';
import { formModelOf, type FormModel } from './form-model';
import { lastMemberValue } from './json-member';
import type { Endpoint } from '../options/endpoint-schema';
import type { CallerSignal } from '../ports/caller-signal';
import type { Priority } from '../quota/request-priority';

/** A request as callers hand it to the router. */
export interface RouteRequest {
  /** @default 'POST' when there is a body, else 'GET' */
  readonly method?: string;
  /** The path below the API base, e.g. `/chat/completions` (see `routePathFromUrl`). May carry a query. */
  readonly path: string;
  /** The caller's headers; its authorization and hop-by-hop headers are dropped. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The whole body, buffered once so every attempt can replay it. */
  readonly body?: string | Uint8Array;
  /** The caller's cancellation (an `AbortSignal`, or any {@link CallerSignal}): aborting it stops every attempt and wait. */
  readonly signal?: CallerSignal;
  /** The body already parsed, when the caller had to parse it anyway (a gateway validating it); saves a parse. */
  readonly json?: Readonly<Record<string, unknown>>;
  /**
   * The request's class in the admission queue; else its `x-detour-priority` header, else
   * `admission.defaultPriority`.
   */
  readonly priority?: Priority;
  /**
   * Who sent the request, as a label safe to show (a gateway key's configured name, never the key): copied onto
   * the request's `cost-record` events so spend can be accounted per caller.
   */
  readonly caller?: string | undefined;
}

/** A request parsed once: its model, whether it streams, and the headers to forward. */
export interface PreparedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent, `stream_options` added when Detour asks for usage: always bytes, a caller's text encoded once. */
  readonly body: Uint8Array | undefined;
  /**
   * The caller's body as it came, when Detour added to it (`stripUsage`): what an endpoint that refuses
   * `stream_options` is sent instead (see `stream-options-refusal.ts`). Undefined when `body` is the caller's.
   */
  readonly callerBody: Uint8Array | undefined;
  /** The size of the caller's body in bytes. */
  readonly bodyBytes: number;
  /** The parsed JSON body, when the body is a JSON object. */
  readonly json: Readonly<Record<string, unknown>> | undefined;
  /** The public model name the caller asked for. */
  readonly model: string | undefined;
  readonly stream: boolean;
  /** Detour asked for usage the caller did not: the usage-only event must be taken out of the stream. */
  readonly stripUsage: boolean;
  /** The route answers JSON ({@link isJsonRoute}): a 2xx that is not an event stream must parse, whatever its content type. */
  readonly jsonRoute: boolean;
  /** Choices a streamed completion carries (`n`, default 1): each must end with a `finish_reason`. */
  readonly choices: number;
  /**
   * The route is one whose streams speak a grammar Detour reads (chat, completions, Responses, Messages). Elsewhere
   * (`/audio/speech`, `/images/generations`…) a stream whose events are all of a grammar Detour does not know ends
   * with an event of its own, and a clean close ends it (`SseWatcher.closeEnds`).
   */
  readonly knownStreamRoute: boolean;
  /**
   * The answer's shape, where Detour can tell: `stream` for `"stream": true`, `json` for `false` or none, on the
   * routes that stream (chat, completions, responses, messages) and for a body it parsed, and for a stored response's
   * retrieval (`GET /responses/{id}`, `stream` in its query). Undefined elsewhere: another
   * route (an embeddings server may ignore a stray `stream`), or a `stream` of another type, which a lenient server
   * (vLLM) reads as true. An answer in the other shape fails over.
   */
  readonly answerShape: 'stream' | 'json' | undefined;
  /**
   * The request may be sent more than once ({@link isReplayable}): false for a POST that may create something (a
   * file, a batch), which is then retried or failed over only after an answer that says it was not acted on.
   */
  readonly replayable: boolean;
  /** Where a `multipart/form-data` body names its model (an audio or image upload), when it does: renamed there. */
  readonly form: FormModel | undefined;
}

// Routes whose every non-stream answer is a JSON document. Judged by the route, not the content type: a relay
// that labels `{"broken": ` as text/plain (or not at all) must not slip it past as a success. Routes that can
// legitimately answer something else stay out: `/audio/speech` (audio bytes), `/audio/transcriptions` and
// `/audio/translations` (text, srt or vtt on request), `/files/{id}/content` (raw files), `/models` (GET, JSON
// but not ours to police). Those keep the content-type rule: parsed only when labelled JSON. A stored response and
// its sub-resources (`/responses/{id}`, `…/input_items`, `…/cancel`, `/responses/input_tokens`) answer JSON too
// (`GET …?stream=true` an event stream, read as one): relayed unjudged, an upstream's 200 error page reached the
// caller with the key it quoted, and a mislabelled response made the SDK's `retrieve` throw.
const jsonRoutes = /^\/(chat\/completions|completions|embeddings|responses|responses\/[\w-]+(\/input_items|\/cancel)?|messages|messages\/count_tokens|moderations)\/?(\?|$)/;

/** Does this route answer JSON whatever the upstream's content type says? (`/chat/completions`, `/embeddings`…) */
export const isJsonRoute = (path: string): boolean => jsonRoutes.test(path);

// The JSON routes whose answer is an event stream when the request says `"stream": true`.
const streamingRoutes = /^\/(chat\/completions|completions|responses|messages)\/?(\?|$)/;

// A stored response, retrieved: JSON, or its events again with `?stream=true` (what the openai SDK sends).
const storedResponse = /^\/responses\/[\w-]+\/?(\?|$)/;

const answerShapeOf = (method: string, path: string, json: Readonly<Record<string, unknown>> | undefined): PreparedRequest['answerShape'] => {
  if (method === 'GET' && storedResponse.test(path)) return /[?&]stream=true(&|$)/.test(path) ? 'stream' : 'json';
  if (json === undefined || !streamingRoutes.test(path)) return undefined;
  const stream = json.stream;
  return stream === true ? 'stream' : stream === false || stream === undefined ? 'json' : undefined;
};

// Never forwarded: these describe the caller's connection or credentials, not the request.
const droppedHeaders = new Set([
  'authorization', 'api-key', 'x-api-key', 'host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding',
  'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-connection', 'expect', 'accept-encoding', 'cookie',
]);

const decoder = new TextDecoder();
const encoder = new TextEncoder();

const tooLarge = (size: string, maxBytes: number) =>
  new DetourError('request_too_large', { message: `The request body is ${size} bytes; the limit is ${maxBytes}.` });

/** A request body as text: a string as it is, bytes decoded as UTF-8. */
export const bodyText = (body: string | Uint8Array): string => (typeof body === 'string' ? body : decoder.decode(body));

/** A body's JSON object; undefined for anything else (not JSON, or JSON that is not an object), which is forwarded untouched. */
const jsonObjectOf = (body: string | Uint8Array): Record<string, unknown> | undefined => {
  const text = bodyText(body);
  if (text.trimStart()[0] !== '{') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** The body's model name (a JSON body's, else a form's), refused when it is longer than any model's (`invalid_model`, HTTP 400). */
const modelOf = (json: Readonly<Record<string, unknown>> | undefined, form: FormModel | undefined): string | undefined => {
  const model = json?.model ?? form?.model;
  if (typeof model !== 'string') return undefined;
  if (model.length > maxModelNameLength) {
    throw new DetourError('invalid_model', { message: `The model name is ${model.length} characters long; the limit is ${maxModelNameLength}.` });
  }
  return model;
};

/** stream_options that leave usage unasked: none at all, or an object without `include_usage`. */
const asksNothingOfUsage = (options: unknown): boolean =>
  options === undefined || (typeof options === 'object' && options !== null && !Array.isArray(options) && !Object.hasOwn(options, 'include_usage'));

/**
 * The body's text asking for usage: `stream_options` added before the closing brace, or `include_usage` added to the
 * caller's own `stream_options` object. Undefined when the text cannot be edited so (then nothing is injected).
 */
const withUsageAsked = (text: string, hasOptions: boolean): string | undefined => {
  if (!hasOptions) {
    const close = text.lastIndexOf('}');
    return close > 0 ? `${text.slice(0, close)},"stream_options":{"include_usage":true}${text.slice(close)}` : undefined;
  }
  const span = lastMemberValue(text, 'stream_options');
  if (!span || text.charCodeAt(span[0]) !== 123 /* { */) return undefined;
  const empty = /^\{\s*\}$/.test(text.slice(span[0], span[1]));
  return `${text.slice(0, span[0] + 1)}"include_usage":true${empty ? '' : ','}${text.slice(span[0] + 1)}`;
};

/**
 * Parses a request once for every attempt: reads `model` and `stream` from a JSON body, drops credentials and
 * hop-by-hop headers, and refuses bodies over `maxBytes` with a `request_too_large` error (HTTP 413).
 */
export const prepareRequest = (
  request: RouteRequest,
  maxBytes: number,
  { injectStreamUsage = false }: { injectStreamUsage?: boolean } = {},
): PreparedRequest => {
  const body = request.body;
  // Text is encoded once, here: its size is its bytes', and bytes are what the transport is sent (see `body` below).
  // Text of more characters than the limit has more bytes than it, and is refused before any encoding.
  if (typeof body === 'string' && body.length > maxBytes) throw tooLarge(`over ${maxBytes}`, maxBytes);
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const bodyBytes = bytes?.byteLength ?? 0;
  if (bodyBytes > maxBytes) throw tooLarge(String(bodyBytes), maxBytes);
  const headers: Record<string, string> = {};
  const given = request.headers;
  // A for-in rather than Object.entries: no array per header on every request.
  if (given) {
    for (const name in given) {
      if (!Object.hasOwn(given, name)) continue;
      const lower = name.toLowerCase();
      if (!droppedHeaders.has(lower) && !lower.startsWith('x-detour-')) headers[lower] = given[name]!;
    }
  }
  let json: Readonly<Record<string, unknown>> | undefined = request.json;
  if (json === undefined && body !== undefined && bodyBytes > 0) json = jsonObjectOf(body);
  const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
  let sent = bytes;
  let stripUsage = false;
  const streamOptions = json?.stream_options;
  // Ask for usage so the stream can be priced; the caller did not, so the extra event is removed on the way back.
  // When the caller set no stream_options, or set others (`include_obfuscation`) but said nothing of usage; a caller
  // who said `include_usage` either way is respected. By editing the text rather than re-serialising, which would
  // round large integers such as a `seed`.
  if (injectStreamUsage && json?.stream === true && /^\/(chat\/)?completions(\?|$)/.test(path) && body !== undefined && asksNothingOfUsage(streamOptions)) {
    const text = bodyText(body);
    const injected = withUsageAsked(text, streamOptions !== undefined);
    if (injected !== undefined) {
      // A copy by stores, not `{ ...json, stream_options }`, which would cost a hidden class per request (copy-own.ts).
      const copy = copyOwn<Record<string, unknown>>({}, json);
      copy.stream_options = streamOptions === undefined ? { include_usage: true } : { ...(streamOptions as object), include_usage: true };
      json = copy;
      sent = encoder.encode(injected);
      stripUsage = true;
    }
  }
  const method = (request.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  // Only a body that is no JSON object is read as a form, and only when its content type says it is one.
  const form = json === undefined && bytes !== undefined && bodyBytes > 0 ? formModelOf(bytes, headers['content-type']) : undefined;
  return {
    method,
    path,
    headers,
    // Bytes: a transport encodes text anyway, and undici holds both the text it is given and its encoded copy until
    // the answer ends (a stream's whole life), as a stream that may be rescued holds what it was sent. As bytes, all
    // of them hold one copy.
    body: sent,
    callerBody: sent === bytes ? undefined : bytes,
    bodyBytes,
    json,
    model: modelOf(json, form),
    stream: json?.stream === true,
    stripUsage,
    jsonRoute: isJsonRoute(path),
    choices: typeof json?.n === 'number' && Number.isInteger(json.n) && json.n > 1 ? Math.min(json.n, 128) : 1,
    knownStreamRoute: streamingRoutes.test(path),
    answerShape: answerShapeOf(method, path, json),
    replayable: isReplayable(method, path, headers, json),
    form,
  };
};

/**
 * The prepared request with its parsed body: as it is when it has one, else parsed again from the bytes it sends. A
 * served stream lets its parse go (see `serveResult`), and a rescue that needs it again (to rename the model, to
 * build a continuation) parses the same bytes the request was routed with, `stream_options` included.
 */
export const withParsedBody = (prepared: PreparedRequest): PreparedRequest => {
  if (prepared.json !== undefined || prepared.body === undefined) return prepared;
  const json = jsonObjectOf(prepared.body);
  return json === undefined ? prepared : { ...prepared, json };
};

/**
 * The route path of a URL an SDK built against any base ending in `/v1`: the part after `/v1` (or the whole path
 * when there is none), with its query. `https://api.openai.com/v1/chat/completions` → `/chat/completions`.
 */
export const routePathFromUrl = (url: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Invalid URL: ${url}`);
  }
  // Only HTTP goes upstream: the SDKs probe their fetch with `fetch('data:,')` (to learn its Response class before a
  // file upload), which would otherwise be sent to every endpoint, with its key, as `GET <baseUrl>,`.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`Detour sends only http(s) requests, not ${parsed.protocol}`);
  }
  const path = parsed.pathname;
  const index = path.indexOf('/v1/');
  const route = index >= 0 ? path.slice(index + 3) : path === '/v1' ? '/' : path;
  return `${route}${parsed.search}`;
};

/** Does this endpoint serve the model, and under which name? Undefined when it does not serve it. */
export const upstreamModelName = (endpoint: Endpoint, model: string | undefined): string | undefined => {
  if (model === undefined) return '';
  const { models } = endpoint;
  if (models === undefined) return model;
  if (Array.isArray(models)) return models.includes(model) ? model : undefined;
  return Object.hasOwn(models, model) ? (models as Record<string, string>)[model] : undefined;
};
