import type { Classification } from '../classification/classification';
import { classifyResponse } from '../classification/classify-response';
import { classification } from '../classification/classification';
import { classifyTransportError } from '../classification/classify-transport-error';
import { kindPolicies } from '../classification/outcome-kind';
import { AttemptTimeoutError } from '../errors/attempt-timeout-error';
import type { CallerSignal } from '../ports/caller-signal';
import type { Clock } from '../ports/clock';
import type { DescribeTransportError, Transport, TransportRequest, TransportResponse, UpstreamHeaders } from '../ports/transport';
import { readUsage, type Usage } from '../pricing/usage';
import { readHeader } from '../signals/read-header';
import type { Scrub } from '../secrets/secret-scrubber';
import { scrubbedBytes } from '../secrets/scrubbed-bytes';
import { anthropicErrorStatus } from '../apis/anthropic-error-types';
import { createSseWatcher, type SseWatcher } from '../streaming/sse-watcher';
import { LinkedAbortSource } from '../budget/abort-source';
import { BodyTooLargeError, bodyIdleBound, readBody } from './read-body';
import { rejectOnAbort } from './reject-on-abort';

/** Everything one attempt needs. */
export interface AttemptContext {
  readonly transport: Transport;
  readonly request: TransportRequest;
  readonly clock: Clock;
  /** Aborts on the deadline or the caller's abort. */
  readonly requestSignal: CallerSignal;
  readonly callerSignal: CallerSignal | undefined;
  readonly attemptTimeoutMs: number | undefined;
  /** The request's whole deadline: an attempt it ends after running half of it counts against its endpoint. */
  readonly deadlineMs: number;
  /** Set for streamed requests: the wait for the first event. */
  readonly firstByteTimeoutMs: number | undefined;
  /** The longest silence between body bytes of a buffered answer (JSON or an error body). */
  readonly bodyIdleTimeoutMs?: number | undefined;
  /** Choices a streamed completion carries (`n`); each must end with a finish_reason for a close without `[DONE]`. */
  readonly choices?: number | undefined;
  /** See `PreparedRequest.knownStreamRoute`: false lets a stream of a grammar Detour does not know end on a clean close. */
  readonly knownStreamRoute?: boolean | undefined;
  readonly maxResponseBytes: number;
  readonly describeTransportError: DescribeTransportError;
  readonly provider: string | undefined;
  /** The model the request names upstream, which an error may quote (see `ResponseFacts.model`). */
  readonly upstreamModel?: string | undefined;
  /** The route answers JSON: a 2xx body that is not an event stream must parse, whatever its content type. */
  readonly jsonRoute: boolean;
  /**
   * The shape the request asked for, where it can be told (see `PreparedRequest.answerShape`). An answer in the other
   * shape fails over: a whole JSON document would reach a streaming SDK as a clean end with no events, and an event
   * stream would reach a non-streaming one as raw text where it expects an object.
   */
  readonly answerShape?: 'stream' | 'json' | undefined;
  /**
   * Removes the endpoints' keys from a served answer's text (JSON or `text/*`; a stream's guard scrubs its chunks):
   * a relay or debugging proxy can echo the request it was sent, key and all, in an answer it calls a success.
   */
  readonly scrub?: Scrub | undefined;
}

/** A served attempt: a buffered JSON body, or a stream whose first event has arrived (the commit point). */
export interface AttemptSuccess {
  readonly ok: true;
  readonly classification: Classification;
  readonly response: TransportResponse;
  readonly status: number;
  readonly headers: UpstreamHeaders;
  readonly body: Uint8Array | undefined;
  /**
   * A committed stream: an event stream after its first event, or (`raw`) a binary answer after its first chunk,
   * relayed as it arrives (speech audio, a file's bytes).
   */
  readonly stream: { head: Uint8Array[]; iterator: AsyncIterator<Uint8Array>; watcher: SseWatcher; raw?: boolean } | undefined;
  readonly usage: Usage | undefined;
  /** A JSON answer, parsed (undefined for streams and bodies that are not JSON). */
  readonly answer?: unknown;
  readonly firstByteMs: number;
  /** Aborts this attempt's transport; a committed stream keeps it for the caller's cancel. */
  readonly abort: (reason?: unknown) => void;
  /** Clears the attempt's timers; a committed stream calls it when it ends. */
  readonly release: () => void;
}

/** A failed attempt, with what it said and whether the provider had started billing. */
export interface AttemptFailure {
  readonly ok: false;
  readonly classification: Classification;
  readonly status: number | undefined;
  readonly headers: UpstreamHeaders | undefined;
  /** The error body's text (bounded), relayed to the caller when this is the last word. */
  readonly bodyText: string | undefined;
  readonly error: unknown;
  /** A 2xx whose body then failed: the provider may bill it. */
  readonly billed: boolean;
  /** Events that reached us before a stream failed (≈ output tokens billed). */
  readonly eventsSeen: number;
  /** The usage a stream reported before it failed, if any: a terminal event's, or Anthropic's `message_start`. */
  readonly usage?: Usage | undefined;
  /** Whether `usage` is the provider's final count (see `SseWatcher.usageComplete`). */
  readonly usageComplete?: boolean;
}

const errorBodyLimit = 64 * 1024;
const decoder = new TextDecoder();

// Media types are case-insensitive (RFC 9110 §8.3.1): `Text/Event-Stream` is a stream. A test, not a lowercased
// copy, keeps the check free of allocation on every answer.
// JSON is `application/json` or a `+json` type (`application/problem+json`); JSON Lines and its kin
// (`application/jsonl`, `x-ndjson`, `json-seq`: a batch's output file) are not one document, and read as one, every
// such file failed as "not valid JSON" (attack 20, L1). They are text, and scrubbed as text.
const jsonType = /^\s*application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const eventStreamType = /text\/event-stream/i;

const isJson = (headers: UpstreamHeaders) => jsonType.test(readHeader(headers, 'content-type') ?? '');
// Text, or JSON's family by its media type (not a parameter: `octet-stream; name="out.json"` is bytes).
const textType = /^\s*(?:text\/|application\/(?:[\w.+-]+\+)?(?:json|jsonl|jsonlines|x-jsonlines|ndjson|x-ndjson|json-seq)\s*(?:;|$))/i;
// A stored file's bytes, as OpenAI and Anthropic serve them.
const fileContent = /\/files\/[^/?]+\/content(?:\?|$)/;

// OpenAI's documented codes for a failure of the request's own making: the prompt and its images. Not a prefix:
// `invalid_api_key` is the endpoint's fault, and fails over.
const requestFault =
  /^(?:invalid_prompt|invalid_image(?:_format|_url|_mode)?|invalid_base64_image|image_(?:too_large|too_small|parse_error|content_policy_violation|file_too_large|file_not_found)|unsupported_image_media_type|empty_image_file|failed_to_download_image)$/;

/** The HTTP status a failed Responses object's `error.code` stands for; an unknown code is the server's (502). */
const failedResponseStatus = (code: unknown): number =>
  code === 'rate_limit_exceeded' ? 429 : typeof code === 'string' && requestFault.test(code) ? 400 : 502;

// Keys an error-only answer carries besides `error`; anything else (choices, data, results…) means an answer.
const errorEnvelopeKeys = new Set(['error', 'id', 'object', 'created', 'model', 'provider', 'user_id', 'metadata']);

/**
 * A chat completion whose every choice finished with `finish_reason: "error"` (OpenRouter's failed generation, with no
 * `error` object beside it): no answer, as its stream is none (attack 24).
 */
const everyChoiceFailed = (choices: unknown): boolean =>
  Array.isArray(choices) && choices.length > 0 && choices.every((choice) => (choice as { finish_reason?: unknown } | null)?.finish_reason === 'error');
const failedChoices = Object.freeze({ status: 502, generated: true });

/**
 * A 2xx JSON body whose only news is an error: the status it stands for (its numeric code, else 502); in Anthropic's
 * envelope (`"type": "error"`), the status of its error's type. A Responses
 * object whose `status` is `failed` is one too, as its stream's `response.failed` is: by its code, a rate limit
 * (429), the request's own fault (400: an invalid prompt or image fails on every endpoint, and failed over it would
 * count against each), else the server's (502).
 */
const embeddedError = (parsed: unknown): { status: number; generated?: boolean } | undefined => {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const body = parsed as { error?: { code?: unknown }; object?: unknown; status?: unknown; choices?: unknown };
  // Before the error: OpenRouter sends its failed generation with an `error` beside the choices, as in its stream,
  // and the status its numeric code names.
  if (everyChoiceFailed(body.choices)) {
    const code = (body.error as { code?: unknown } | null | undefined)?.code;
    return typeof code === 'number' && code >= 400 && code < 600 ? { status: code, generated: true } : failedChoices;
  }
  if (typeof body.error !== 'object' || body.error === null) return undefined;
  if (body.object === 'response' && body.status === 'failed') return { status: failedResponseStatus(body.error.code) };
  if ((body as { type?: unknown }).type === 'error') {
    const type = (body.error as { type?: unknown }).type;
    return { status: (typeof type === 'string' && Object.hasOwn(anthropicErrorStatus, type) ? anthropicErrorStatus[type] : undefined) ?? 502 };
  }
  if (!Object.keys(body).every((key) => errorEnvelopeKeys.has(key))) return undefined;
  const code = body.error.code;
  return { status: typeof code === 'number' && code >= 400 && code < 600 ? code : 502 };
};

// An answer in the other shape than the request's fails over, but says nothing of the endpoint's health: the verdict
// rests on how Detour read the request, and a caller's odd requests must not open the breakers of every endpoint.
const shapeMismatchPolicy = Object.freeze({ ...kindPolicies.invalid_response, breaker: 'neutral' as const });

/** A 2xx whose body cannot be the answer: not retried on this endpoint (see `kindPolicies`). */
const invalidAnswer = (kind: 'invalid_response' | 'response_too_large', reason: string, status: number): Classification =>
  classification(kind, kindPolicies[kind], { status, reason });

/** A 2xx in the other shape than the request's: fails over, neutral to the breaker. */
const mismatchedAnswer = (reason: string, status: number): Classification =>
  classification('invalid_response', shapeMismatchPolicy, { status, reason });

/**
 * An error carried in a 2xx (an error object for a body, an error event in a stream), classified by the status it
 * stands for, with a reason that names the status that came: "HTTP 502 server_error" named a status the upstream
 * never sent, in `/healthz` and the events (attack 20, L3).
 */
const carried = (classification: Classification, status: number, form: 'object' | 'event'): Classification => ({
  ...classification, reason: classification.reason.replace(/^HTTP \d+ /, `HTTP ${status} with an error ${form}: `),
  // The upstream answered: whatever the error says, the work may have been done.
  unprocessed: false,
});

/**
 * Whether a 2xx is relayed as it arrives rather than read whole: a body (not a HEAD's, a 204's or a 304's) outside
 * the JSON routes, labelled as neither JSON, text nor an event stream: audio, images, video, `octet-stream`, a PDF.
 * Those are relayed unread and unscrubbed whole too (scrubbing text in bytes would corrupt them), so streaming them
 * loses nothing but the bound, which a body not held needs no more.
 */
const relaysRaw = (context: AttemptContext, method: string, status: number, headers: UpstreamHeaders): boolean => {
  if (context.jsonRoute || method === 'HEAD' || status === 204 || status === 304) return false;
  const type = readHeader(headers, 'content-type');
  return type !== undefined && type.trim() !== '' && !textType.test(type) && !eventStreamType.test(type);
};

/**
 * A body's chunks, through the transport's cheaper iterator when it has one. One that cannot be had is no upstream
 * failure but a broken transport: it leaves as an exception, without this attempt's timers.
 */
const chunksOf = (response: TransportResponse, controls: AttemptControls): AsyncIterator<Uint8Array> => {
  try {
    return response.chunks ? response.chunks() : response.body[Symbol.asyncIterator]();
  } catch (error) {
    response.cancel(error);
    controls.release();
    throw error;
  }
};

const isEventStream = (headers: UpstreamHeaders) => eventStreamType.test(readHeader(headers, 'content-type') ?? '');

/** A JSON route's parsed answer that is no answer at all: `null`, a number or string, an array, or `{}`. */
const isEmptyAnswer = (parsed: unknown): boolean => {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return true;
  // The first key decides; `Object.keys` would build an array of them on every answer.
  for (const _ in parsed) return false;
  return true;
};

/**
 * An attempt's own signal and timers, kept out of `runAttempt`'s scope: a committed stream holds `abort` and
 * `release` for its whole life, and closures made inside `runAttempt` share one scope with everything its other
 * closures read (the attempt context, the request with its key and body), which they would keep alive with them.
 */
class AttemptControls {
  private timers: unknown[] | undefined = undefined;
  constructor(
    private readonly clock: Clock,
    private readonly link: LinkedAbortSource | undefined,
  ) {}

  /** The attempt's own signal, when it has timers of its own; otherwise it runs on its request's. */
  get signal(): LinkedAbortSource | undefined {
    return this.link;
  }

  /** Aborts the attempt with `error()` after `ms` (when it has a signal of its own). */
  arm(ms: number | undefined, error: () => Error): void {
    const link = this.link;
    if (ms === undefined || !link) return;
    (this.timers ??= []).push(this.clock.schedule(() => link.abort(error()), ms));
  }

  /** Clears the timers; the attempt still follows its request's signal (a committed stream). */
  readonly disarm = (): void => {
    const timers = this.timers;
    this.timers = undefined;
    if (timers) for (const timer of timers) this.clock.cancel(timer);
  };

  /** Clears the timers and stops following the request's signal: the attempt is over. */
  readonly release = (): void => {
    this.disarm();
    this.link?.unlink();
  };

  readonly abort = (reason?: unknown): void => {
    this.link?.abort(reason);
  };
}

/**
 * Runs one attempt: sends it, and on a 2xx either buffers the JSON (or text) answer (to price it and catch a
 * truncated body before anything reaches the caller), reads a binary answer's first chunk, or, for an event stream,
 * reads until the first `data:` event. Everything up to that point can still fail over; keep-alive comments before
 * it do not commit the stream.
 *
 * Long on purpose (about 200 lines): every branch ends through the same few closures over this attempt's
 * controls and response (`failure`, `success`). Splitting the branches into functions would mean
 * an object per attempt to carry them, or six parameters each, on the hottest path in core. Read it as four
 * branches after the send: an error status, a binary answer up to its first chunk, a buffered answer, an event
 * stream up to its first event.
 */
export const runAttempt = async (context: AttemptContext): Promise<AttemptOutcome> => {
  const { clock, request } = context;
  const startedAt = clock.now();
  // An attempt gets a signal of its own only when it has timers of its own; otherwise the request's signal
  // (deadline and caller) is enough, and a signal per attempt would be garbage on the hot path.
  const timed = context.attemptTimeoutMs !== undefined || context.firstByteTimeoutMs !== undefined;
  const controls = new AttemptControls(clock, timed ? new LinkedAbortSource(context.requestSignal) : undefined);
  const signal = controls.signal ?? context.requestSignal;
  controls.arm(context.attemptTimeoutMs, () => new AttemptTimeoutError('attempt', context.attemptTimeoutMs!));
  controls.arm(context.firstByteTimeoutMs, () => new AttemptTimeoutError('first_byte', context.firstByteTimeoutMs!));

  const failure = (error: unknown, { classification: given, ...fields }: Partial<AttemptFailure> = {}): AttemptFailure => {
    controls.release();
    const callerAborted = context.callerSignal?.aborted === true;
    const reason = signal.aborted ? signal.reason : error;
    return {
      ok: false,
      // A verdict the caller already reached (an oversized or unparseable answer) stands unless a timer or the
      // caller cut the attempt first.
      classification: given !== undefined && !signal.aborted
        ? given
        : classifyTransportError(reason, { callerAborted, describe: context.describeTransportError, hadFairShare: 2 * (clock.now() - startedAt) >= context.deadlineMs }),
      status: undefined, headers: undefined, bodyText: undefined, error: reason, billed: false, eventsSeen: 0,
      ...fields,
    };
  };

  let response: TransportResponse;
  try {
    response = await context.transport(request, signal);
  } catch (error) {
    return failure(error);
  }

  const { status, headersLowerCase } = response;
  let headers = response.headers;
  const idle = context.bodyIdleTimeoutMs === undefined ? undefined : { clock, ms: context.bodyIdleTimeoutMs };
  if (status >= 400) {
    let bodyText = '';
    try {
      bodyText = decoder.decode(await readBody(response.body, errorBodyLimit, signal, { truncate: true, idle }));
    } catch {
      // The status already tells the story; a body that fails to arrive adds nothing.
    }
    response.cancel();
    controls.release();
    const classification = classifyResponse({ status, headers, body: bodyText, nowMs: clock.now(), provider: context.provider, headersLowerCase, model: context.upstreamModel });
    return { ok: false, classification, status, headers, bodyText, error: undefined, billed: false, eventsSeen: 0 };
  }

  if (status >= 300 && status !== 304 && (context.jsonRoute || request.method !== 'GET')) {
    // A redirect of an API call is a moved or hostile endpoint. Followed, it would send the prompt (and, same-origin,
    // the key) where the upstream chose; relayed, the caller's own client would follow it. Neither: fail over. A GET
    // of a file may be sent to storage: it carries no prompt, and is relayed as it came.
    response.cancel();
    const reason = `HTTP ${status} redirect, not followed (is the baseUrl current?)`;
    return failure(new Error(reason), { status, headers, classification: invalidAnswer('invalid_response', reason, status) });
  }

  const success = (fields: Pick<AttemptSuccess, 'body' | 'stream' | 'usage' | 'answer'>): AttemptSuccess => ({
    ok: true,
    classification: classifyResponse({ status, headers, nowMs: clock.now(), provider: context.provider, headersLowerCase }),
    response, status, headers, ...fields,
    firstByteMs: clock.now() - startedAt,
    abort: controls.abort,
    release: controls.release,
  });

  if (relaysRaw(context, request.method, status, headers)) {
    // A binary answer (speech audio, a file's bytes) goes to the caller as it arrives, not whole: a speech stream's
    // first byte came after the last, and a file over `maxResponseBytes` failed (attack 20, M2). It commits at its
    // first chunk, as an event stream at its first event: a failure before it still fails over.
    const iterator = chunksOf(response, controls);
    const aborted = rejectOnAbort(signal);
    // Bounded as a body read whole is (`bodyIdleTimeoutMs`): headers followed by silence fail over, not wait out the
    // deadline (the review of attack 20). An empty chunk is no first byte.
    const { stalled, watchdog } = idle ? bodyIdleBound(idle) : { stalled: undefined, watchdog: undefined };
    let first: IteratorResult<Uint8Array>;
    try {
      do first = await (stalled ? Promise.race([iterator.next(), aborted.promise, stalled]) : Promise.race([iterator.next(), aborted.promise]));
      while (!first.done && first.value.byteLength === 0);
    } catch (error) {
      response.cancel(error);
      return failure(error, { status, headers, billed: true });
    } finally {
      watchdog?.stop();
      aborted.dispose();
    }
    if (first.done) {
      controls.release();
      return success({ body: new Uint8Array(0), stream: undefined, usage: undefined });
    }
    controls.disarm();
    return success({ body: undefined, stream: { head: [first.value], iterator, watcher: createSseWatcher(1, 0, true), raw: true }, usage: undefined });
  }

  if (!isEventStream(headers)) {
    let body: Uint8Array;
    try {
      body = await readBody(response.body, context.maxResponseBytes, signal, { idle });
    } catch (error) {
      response.cancel(error);
      if (error instanceof BodyTooLargeError) {
        // The same endpoint would send the same answer again: fail over, never download it twice from here.
        return failure(error, { status, headers, billed: true, classification: invalidAnswer('response_too_large', `HTTP ${status} answer over ${error.limit} bytes (maxResponseBytes)`, status) });
      }
      return failure(error, { status, headers, billed: true });
    }
    controls.release();
    let usage: Usage | undefined;
    let answer: unknown;
    // A JSON route's answer is judged by its body: a relay may label a broken body text/plain, or not at all.
    // Other routes (audio, files) are parsed only when they say they are JSON.
    // A 204 is no answer either: every JSON route's request wants a body back (a 304 answers a conditional GET). A
    // DELETE of a stored response is done when it says so: a 204, or a 200 or 202 with nothing, or `{}`, as servers
    // vary; only a body that is there and no JSON (a page that may quote the key) is refused.
    const deleted = request.method === 'DELETE' && status >= 200 && status < 300;
    const mustParse = context.jsonRoute && status !== 304 && !(deleted && body.byteLength === 0);
    if (mustParse || isJson(headers)) {
      const text = decoder.decode(body);
      // One native parse: it proves the answer whole (a chunked body cut at a boundary, even one ending in `}`,
      // fails here and fails over instead of reaching the caller) and yields its usage.
      let parsed: unknown;
      const empty = text.trim() === '';
      if (empty && mustParse && !deleted) {
        return failure(new Error('the answer was empty'), { status, headers, billed: true, classification: invalidAnswer('invalid_response', `HTTP ${status} answer was empty`, status) });
      }
      try {
        parsed = empty ? undefined : JSON.parse(text);
      } catch {
        // Truncated or not JSON at all: either way the same endpoint would answer the same for this request.
        const reason = `HTTP ${status} answer is not valid JSON (truncated or garbage)`;
        return failure(new Error(reason), { status, headers, billed: true, classification: invalidAnswer('invalid_response', reason, status) });
      }
      // OpenRouter and some relays answer HTTP 200 with an error object when a provider failed mid-request:
      // classify it like the error response it is, so it fails over instead of reaching the caller as a success.
      // Not in a file's content (`GET /files/{id}/content`): a user's own JSON file may hold an `error` object, and
      // it is the file, not the endpoint's failure (attack 20, L1).
      const embedded = request.method === 'GET' && fileContent.test(request.url) ? undefined : embeddedError(parsed);
      if (embedded) {
        const classification = carried(classifyResponse({ status: embedded.status, headers, body: parsed, nowMs: clock.now(), provider: context.provider, headersLowerCase, model: context.upstreamModel }), status, 'object');
        // A generation that failed was generated, and is priced as its stream is; an error object was not.
        const generated = embedded.generated === true;
        const spent = generated ? readUsage((parsed as { usage?: unknown }).usage) : undefined;
        return {
          ok: false, classification, status: embedded.status, headers, bodyText: text.slice(0, errorBodyLimit), error: undefined, billed: generated, eventsSeen: 0,
          ...(spent ? { usage: spent, usageComplete: true } : {}),
        };
      }
      usage = readUsage((parsed as { usage?: unknown } | undefined)?.usage);
      if (mustParse && !deleted && isEmptyAnswer(parsed)) {
        const reason = `HTTP ${status} answer is no JSON object`;
        return failure(new Error(reason), { status, headers, billed: true, classification: invalidAnswer('invalid_response', reason, status) });
      }
      if (context.answerShape === 'stream') {
        // Generated all the same: its usage prices the refused answer.
        const reason = `HTTP ${status} answer is JSON, not a stream`;
        return failure(new Error(reason), { status, headers, billed: true, usage, usageComplete: usage !== undefined, classification: mismatchedAnswer(reason, status) });
      }
      answer = parsed;
      // Parsed before it is scrubbed: a redaction inside a string keeps it JSON, but the parse judges what came.
      if (context.scrub) body = scrubbedBytes(body, context.scrub, text);
      // A JSON route's answer proven an object, labelled as something else (text/plain, nothing): relayed under its
      // label, the openai SDK hands its caller a string. Labelled for what it is.
      if (mustParse && !isJson(headers)) headers = { ...headers, 'content-type': 'application/json' };
    } else if (context.scrub && textType.test(readHeader(headers, 'content-type') ?? '')) {
      body = scrubbedBytes(body, context.scrub);
    }
    return success({ body, stream: undefined, usage, answer });
  }

  if (context.answerShape === 'json') {
    response.cancel();
    const reason = `HTTP ${status} answer is a stream, not JSON`;
    return failure(new Error(reason), { status, headers, billed: true, classification: mismatchedAnswer(reason, status) });
  }

  // An event stream: read until the first data event, which is the point of no return.
  // One line of a stream is held whole until it ends: no longer than an answer read whole may be.
  const watcher = createSseWatcher(context.choices, context.maxResponseBytes, context.knownStreamRoute === false);
  const head: Uint8Array[] = [];
  const iterator = chunksOf(response, controls);
  const aborted = rejectOnAbort(signal);
  try {
    while (watcher.events === 0 && !watcher.finished) {
      const result = await Promise.race([iterator.next(), aborted.promise]);
      if (result.done) break;
      // As the watcher hands it on: line ends made line feeds for every reader after it.
      head.push(watcher.push(result.value));
      if (watcher.overflowed) {
        response.cancel();
        const reason = `HTTP ${status} stream with an event over ${context.maxResponseBytes} characters`;
        return failure(new Error(reason), { status, headers, billed: true, classification: invalidAnswer('response_too_large', reason, status) });
      }
    }
  } catch (error) {
    response.cancel(error);
    return failure(error, { status, headers, billed: true, eventsSeen: watcher.events });
  } finally {
    aborted.dispose();
  }
  if (watcher.error !== undefined || watcher.events === 0) {
    response.cancel();
    controls.release();
    if (watcher.error !== undefined) {
      // An error event before anything reached the caller: classify it like an error response and fail over.
      const payload = watcher.error as { code?: unknown } | string;
      const code = typeof payload === 'object' && typeof payload?.code === 'number' && payload.code >= 400 ? payload.code : 502;
      const classification = carried(classifyResponse({ status: code, headers, body: { error: payload }, nowMs: clock.now(), provider: context.provider, headersLowerCase, model: context.upstreamModel }), status, 'event');
      // Content events that came in the same read as the error were generated, and are billed, all the same.
      return { ok: false, classification, status, headers, bodyText: undefined, error: undefined, billed: true, eventsSeen: watcher.outputEvents, usage: watcher.usage, usageComplete: watcher.usageComplete };
    }
    return failure(new Error('the stream ended before its first event'), { status, headers, billed: true });
  }
  // Committed: the first-byte timer has done its job, but the attempt timeout no longer applies to a live stream.
  controls.disarm();
  return success({ body: undefined, stream: { head, iterator, watcher }, usage: undefined });
};

/** The result of one attempt. */
export type AttemptOutcome = AttemptSuccess | AttemptFailure;
