import { bodyText } from '../engine/prepare-request';
import type { CallerSignal } from '../ports/caller-signal';
import type { Transport, TransportRequest, TransportResponse } from '../ports/transport';

/** What a scripted endpoint answers to one request. */
export type ScriptedReply =
  | {
      readonly status?: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** A JSON value (serialized), text, or bytes. */
      readonly body?: unknown;
      /** SSE events, each sent as its own chunk (`data: …\n\n` added unless it ends an event: `\n\n`, or `\r\r`). */
      readonly events?: readonly string[];
      /** For `events`: fail with a connection error after this many chunks, or end without `[DONE]` (`close`). */
      readonly cut?: { readonly afterEvents: number; readonly mode: 'error' | 'close' };
      /** Advances the script's clock by this much before answering (simulated latency). */
      readonly latencyMs?: number;
    }
  /** A transport failure (connection refused, reset…) instead of a response. */
  | { readonly error: Error; readonly latencyMs?: number }
  /** Never answers until the attempt's signal aborts. */
  | { readonly hang: true };

/** One request the scripted transport received. */
export interface ScriptedCall {
  readonly request: TransportRequest;
  readonly at: number;
  /** How many requests this endpoint had received, this one included. */
  readonly count: number;
}

/** A script per endpoint name: a function of the request and its count, or a list consumed in order (the last repeats). */
export type EndpointScript = ((request: TransportRequest, count: number) => ScriptedReply) | readonly ScriptedReply[];

/** A transport that answers from scripts, and records every call. */
export interface ScriptedTransport extends Transport {
  readonly calls: ScriptedCall[];
  callsTo(endpoint: string): ScriptedCall[];
}

const encoder = new TextEncoder();

/** The text of the body a request was sent ('' for none): the router hands a transport bytes, a direct caller may text. */
export const requestText = (request: TransportRequest): string => (request.body === undefined ? '' : bodyText(request.body));

const bodyOf = (chunks: readonly Uint8Array[], failWith?: Error, signal?: CallerSignal): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    for (const chunk of chunks) {
      if (signal?.aborted) throw signal.reason;
      yield chunk;
    }
    if (failWith) throw failWith;
  },
});

/**
 * Creates a transport that answers from per-endpoint scripts, in memory. `now` lets it stamp calls (and
 * `advance` lets `latencyMs` move a fake clock), so simulations can assert what reached which endpoint when.
 */
export const createScriptedTransport = (
  scripts: Readonly<Record<string, EndpointScript>>,
  { now = () => 0, advance }: { now?: () => number; advance?: (ms: number) => void } = {},
): ScriptedTransport => {
  const calls: ScriptedCall[] = [];
  const counts = new Map<string, number>();

  const transport = (async (request: TransportRequest, signal: CallerSignal): Promise<TransportResponse> => {
    const count = (counts.get(request.endpoint) ?? 0) + 1;
    counts.set(request.endpoint, count);
    calls.push({ request, at: now(), count });
    const script = scripts[request.endpoint];
    if (!script) throw new Error(`No script for endpoint "${request.endpoint}"`);
    const reply = typeof script === 'function' ? script(request, count) : script[Math.min(count, script.length) - 1]!;
    if ('hang' in reply) {
      return new Promise((_, reject) => {
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    if (reply.latencyMs) advance?.(reply.latencyMs);
    if (signal.aborted) throw signal.reason;
    if ('error' in reply) throw reply.error;
    const status = reply.status ?? 200;
    if (reply.events) {
      const chunks = reply.events.map((event) => encoder.encode(event.endsWith('\n\n') || event.endsWith('\r\r') ? event : `data: ${event}\n\n`));
      const cut = reply.cut;
      const sent = cut ? chunks.slice(0, cut.afterEvents) : chunks;
      const failure = cut?.mode === 'error' ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) : undefined;
      return {
        status,
        headers: { 'content-type': 'text/event-stream', ...lower(reply.headers) },
        body: bodyOf(sent, failure, signal),
        cancel: () => undefined,
      };
    }
    const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return {
      status,
      headers: { 'content-type': 'application/json', ...lower(reply.headers) },
      body: bodyOf(text ? [encoder.encode(text)] : [], undefined, signal),
      cancel: () => undefined,
    };
  }) as ScriptedTransport;

  Object.assign(transport, {
    calls,
    callsTo: (endpoint: string) => calls.filter((call) => call.request.endpoint === endpoint),
  });
  return transport;
};

const lower = (headers: Readonly<Record<string, string>> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));

/** A chat completion body with usage, as OpenAI answers. */
export const chatCompletion = (content: string, { model = 'gpt-4.1', promptTokens = 10, completionTokens = 5 } = {}): object => ({
  id: 'chatcmpl-test', object: 'chat.completion', created: 0, model,
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
});
