import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transport, TransportResponse } from '@detour/core';
import { Agent, type Dispatcher, errors } from 'undici';
import type { AgentOptions } from './agent-options-schema';
import { ignore, pullChunks } from './pull-iterator';
import { destroyBody, ResponseHandler, type ResponseStart } from './response-handler';
import { createUpstreamAgent, type UpstreamDispatcher } from './upstream-agent';

/** The Node transport, with a way to close its connection pool. */
export interface UndiciTransport extends Transport {
  /** Closes every pooled connection; in-flight requests finish first. */
  close(): Promise<void>;
  /** Closes every connection now: requests in flight fail, streams are cut. */
  destroy(): Promise<void>;
}

/**
 * Core's transport on undici's `Dispatcher.dispatch`: a keep-alive pool per upstream origin (behind an egress proxy
 * when one is set, see `createUpstreamAgent`), no retry interceptor (the engine is the only retry loop; this sends
 * again only a request written on a stale pooled connection, see `closedWhileIdle`), the attempt's signal followed by
 * our own handler (`ResponseHandler`), which hands over a header record with lower-case names and the body as a Node
 * stream, without Web wrappers. undici's `fetch` measured about a third of this throughput, and its `request()` spent
 * a tenth of a gateway request building the header record (see `headerRecord`).
 */
export const createUndiciTransport = (options: AgentOptions, dispatcher?: UpstreamDispatcher): UndiciTransport => {
  const agent = dispatcher ?? createUpstreamAgent(options);
  // Connections opened per origin, when the pool says (`connect` events: undici's own `Agent`, not a proxy's).
  const opened = agent instanceof Agent ? new Map<string, { count: number }>() : undefined;
  if (agent instanceof Agent) {
    agent.on('connect', (origin: URL) => {
      const counter = opened!.get(origin.origin);
      if (counter) counter.count += 1;
    });
  }
  // Past the bound an origin gets no counter (its events would not reach one), so no request to it is sent again.
  const openedTo = (origin: string) => {
    let counter = opened?.get(origin);
    if (opened && !counter && opened.size < 1000) opened.set(origin, (counter = { count: 0 }));
    return counter;
  };
  // Attempts go to a handful of URLs (endpoint × route): parse each once, not per request.
  const parsedUrls = new Map<string, Target>();
  const split = (url: string) => {
    let parsed = parsedUrls.get(url);
    if (!parsed) {
      const { origin, pathname, search } = new URL(url);
      parsed = { origin, path: `${pathname}${search}`, opened: openedTo(origin) };
      if (parsedUrls.size < 1000) parsedUrls.set(url, parsed);
    }
    return parsed;
  };
  const send: Transport = async (request, signal) => {
    if (signal.aborted) throw (signal.reason as Error | undefined) ?? new errors.RequestAbortedError();
    const target = split(request.url);
    const dispatched = { origin: target.origin, path: target.path, method: request.method as Dispatcher.HttpMethod, headers: request.headers, body: request.body };
    const sentAt = performance.now();
    const openedBefore = target.opened?.count;
    let response: ResponseStart;
    try {
      response = await dispatch(agent, dispatched, signal);
    } catch (error) {
      // No connection to the origin was opened meanwhile: the request went on a pooled one (see `closedWhileIdle`).
      const pooled = openedBefore !== undefined && target.opened!.count === openedBefore;
      if (!pooled || signal.aborted || request.replayable === false || !closedWhileIdle(error, performance.now() - sentAt)) throw error;
      response = await dispatch(agent, dispatched, signal);
    }
    const coding = response.headers['content-encoding'];
    if (coding === undefined) return new UndiciResponse(response.statusCode, response.headers, response.body);
    return decodedResponse(response, coding);
  };
  return Object.assign(send, { close: () => agent.close(), destroy: () => agent.destroy() });
};

/** One try of a request, settled once its answer's headers are in. */
const dispatch = (agent: UpstreamDispatcher, dispatched: Dispatcher.DispatchOptions, signal: Parameters<Transport>[1]) =>
  new Promise<ResponseStart>((resolve, reject) => agent.dispatch(dispatched, new ResponseHandler(signal, resolve, reject)));

/**
 * Servers close keep-alive connections that sit idle (Node's and uvicorn's after 5 s, gunicorn's after 2), most
 * without a `Keep-Alive` header saying when. A request written on a connection whose close is already on its way
 * fails at once, reset or closed before any answer, though the server never read it: counted as the endpoint's
 * network failure, a healthy endpoint had its breaker opened and its traffic failed over to a backup that may bill
 * more. Such a request is sent once more, at once and within its attempt (its timers and signal still bound it), when
 * three things say the connection was a stale pooled one: the failure is a reset or a close; it came within
 * `staleWindowMs` of the send (a closed connection fails within a round trip, one cut while the provider worked on
 * the request later); and no connection to the origin was opened meanwhile, so the request went on one that had
 * carried answers before, never on a fresh one. Only through undici's own `Agent`, whose `connect` events say the
 * last. A server that reads a request and resets its pooled connection within the second is asked once more: what
 * failing over did before, to the same endpoint instead of a backup. A request that must not run twice
 * (`TransportRequest.replayable` false: a POST that creates a file or a batch) is never sent again: Go's client
 * sends such a request again only when it knows no byte of it was written, which undici does not say.
 */
const staleCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const staleWindowMs = 1_000;

const closedWhileIdle = (error: unknown, elapsedMs: number): boolean =>
  elapsedMs < staleWindowMs && staleCodes.has((error as { code?: unknown } | null)?.code as string);

/** Where a URL's requests go, and how many connections to its origin the pool has opened (when it says). */
interface Target {
  readonly origin: string;
  readonly path: string;
  readonly opened: { count: number } | undefined;
}

// What an upstream may compress with, as Web `fetch` decodes it (the edge binding's transport): gzip, deflate, br.
const decoders = new Map<string, () => NodeJS.ReadWriteStream>([
  ['gzip', createGunzip], ['x-gzip', createGunzip], ['deflate', createInflate], ['br', createBrotliDecompress],
]);

/**
 * An answer with its body decoded. Detour never asks for compression (it drops the caller's `Accept-Encoding`), but
 * a server may compress anyway; relayed as it came, the caller would get compressed bytes under no
 * `Content-Encoding` (a relay drops it, since the length and encoding change) and core could not read the JSON or
 * the events. A coding it cannot decode fails the attempt, naming it, so the request fails over.
 */
const decodedResponse = (response: ResponseStart, coding: string | readonly string[]): UndiciResponse => {
  const name = typeof coding === 'string' ? coding.trim().toLowerCase() : coding.length === 1 ? coding[0]!.trim().toLowerCase() : coding.join(', ');
  const { statusCode, headers, body } = response;
  if (name === '' || name === 'identity' || headers['content-length'] === '0') return new UndiciResponse(statusCode, headers, body);
  const create = decoders.get(name);
  if (!create) {
    destroyBody(body);
    throw new Error(`the upstream answered with Content-Encoding "${name.slice(0, 64)}", which Detour cannot decode`);
  }
  const decoder = create() as unknown as Readable;
  // The decoder fails when the body does (or is not what it claims): a read then rejects, as for a cut body.
  pipeline(body, decoder as unknown as NodeJS.WritableStream, ignore);
  return new UndiciResponse(statusCode, headers, decoder, body);
};

/**
 * One upstream answer. A class, not an object literal with closures: a committed stream keeps its response for its
 * whole life (to cancel it), and closures made in `send` would keep undici's whole response data with them, and
 * cost two functions and a scope on every request.
 */
class UndiciResponse implements TransportResponse {
  /** `headerRecord` lower-cases every name. */
  readonly headersLowerCase = true;

  constructor(
    readonly status: number,
    readonly headers: TransportResponse['headers'],
    readonly body: Readable,
    // The socket's body when `body` is its decoded form: cancelling destroys both.
    private readonly encoded?: Readable,
  ) {}

  chunks(): AsyncIterator<Uint8Array> {
    return pullChunks(this.body);
  }

  cancel(reason?: unknown): void {
    // Destroying an unread body closes its socket: the provider stops generating, and billing, at once.
    destroyBody(this.body, reason);
    if (this.encoded) destroyBody(this.encoded, reason);
  }
}
