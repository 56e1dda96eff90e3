import { connectionListedHeaders, isDetourHeader, modelHeaderValue, unrelayedHeaders } from '@detour/core/binding';
import type { AbortSource, RouteResult } from '@detour/core';
import { connectionSignal } from './connection-signal';
import { relayStream } from './relay-stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { GatewayError } from '../middleware/gateway-error';
import type { ProxyAdapter } from '../routes/proxy-adapter';
import { overBudget } from '../routes/body-budget';

/**
 * The request's bindings, made afresh by @hono/node-server for each request. They also carry its caller signal once
 * made, and the answer once sent (the access log reads who served it): cheaper than a WeakMap keyed by the request,
 * whose entries cost the collector extra work.
 */
export type NodeBindings = HttpBindings & { callerSignal?: AbortSource; answered?: RouteResult; afterClose?: () => void };

const bindings = (context: Context) => context.env as NodeBindings;

/** A request header as one string (a repeated one joined), as Hono's reader gives it. */
export const requestHeader = (incoming: IncomingMessage, name: string): string | undefined => {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/**
 * The answer's header fields as Node's flat list (name, value, name, value, …), which `writeHead` walks as it is.
 * A record would be built key by key and then walked again with `for…in` (about 4 thousand instructions a request).
 */
type HeaderList = (string | readonly string[])[];

const answerHeaders = (result: RouteResult, scrub: (text: string) => string): HeaderList => {
  const headers: HeaderList = [];
  const listed = connectionListedHeaders(result.headers);
  for (const name in result.headers) {
    const value = result.headers[name];
    if (value === undefined || unrelayedHeaders.has(name) || listed?.has(name) || isDetourHeader(name)) continue;
    headers.push(name, typeof value === 'string' ? scrub(value) : value.map(scrub));
  }
  headers.push('x-detour-endpoint', result.endpoint);
  // The public model served: the caller's, or the fallback it moved to (`fallbacks`).
  if (result.model !== undefined) headers.push('x-detour-model', modelHeaderValue(result.model));
  headers.push('x-detour-attempts', String(result.attempts.length));
  if (result.costUsd !== undefined) headers.push('x-detour-cost-usd', result.costUsd.toFixed(8));
  return headers;
};

/**
 * Node keeps a response's header block (`_header`) for the response's whole life, and builds it with `+=` a piece at
 * a time: a tree of some 70 strings (2.3 KiB for an OpenAI stream's headers) where the text is about 0.5 KiB. A
 * stream holds it for as long as it runs, and a gateway holds one per open stream: flattened, a stream holds 1.6 KiB
 * less of the live heap (21.5 against 19.9 KiB; 1.6 MiB for 1,000 streams; `bench/src/profile/stream-heap.mjs`).
 * Converting a string to a number makes V8 flatten it in place (the tree's root then points at one flat copy, and
 * the pieces are garbage); the number is not wanted. A Node whose response has no such field is left as it is.
 */
const flattenHeaderBlock = (outgoing: ServerResponse): void => {
  const block: unknown = (outgoing as ServerResponse & { _header?: unknown })._header;
  if (typeof block === 'string') void Number(block);
};

/**
 * The Node adapter (`scrub` rewrites relayed header values; `streamIdleTimeoutMs` is the router's, see `relayStream`): reads the body straight from Node's request, writes status and plain headers to Node's response
 * and pipes the upstream body into it (Hono's "response already sent" path), without building Web `Request`,
 * `Headers` or `Response` objects on the hot path. A caller who disconnects aborts the request's signal.
 */
export const createNodeAdapter = ({ scrub, streamIdleTimeoutMs, drain = { draining: false } }: {
  scrub: (text: string) => string;
  streamIdleTimeoutMs: number;
  /**
   * `draining` is set once the gateway drains: an answer then closes its connection (`Connection: close`). `cut` once
   * its grace ran out and it closes what is left: a caller signal then aborts with a `RouterClosedError`.
   */
  drain?: { readonly draining: boolean; readonly cut?: boolean };
}): ProxyAdapter => ({
  header(context, name) {
    return requestHeader(bindings(context).incoming, name);
  },
  readBody(context, maxBytes, share) {
    const { incoming } = bindings(context);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        const fits = size <= maxBytes;
        if (fits && share.grow(chunk.length)) {
          chunks.push(chunk);
          return;
        }
        // The rest is left to @hono/node-server, which reads and drops it once the 413 (or 503) is sent, then closes
        // the connection if it has not ended within its bound. Closing at once reset the connection while the caller
        // was still sending, and Node's fetch saw EPIPE instead of the 413.
        incoming.off('data', onData);
        incoming.pause();
        if (fits) reject(overBudget());
        else resolve(undefined);
      };
      // The caller left mid-body, or Node's `requestTimeout` answered 408 and closed the socket: a refusal of the
      // caller's making, never the gateway's internal error.
      const onError = (error: Error) =>
        reject(new GatewayError('request_incomplete', `The request body did not arrive whole: ${error.message.replace(/\.$/, '')}.`));
      // Once the body is in, no listener stays behind: each would keep `chunks` (this scope) alive for as long as
      // the request, which for a stream is minutes.
      const onEnd = () => {
        incoming.off('data', onData);
        incoming.off('error', onError);
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      };
      incoming.on('data', onData);
      incoming.once('end', onEnd);
      incoming.once('error', onError);
    });
  },
  signal(context) {
    const env = bindings(context);
    if (env.callerSignal) return env.callerSignal;
    env.callerSignal = connectionSignal(env.outgoing, env, drain);
    return env.callerSignal;
  },
  respond(context, result) {
    const env = bindings(context);
    const { outgoing } = env;
    env.answered = result;
    const headers = answerHeaders(result, scrub);
    if (drain.draining) outgoing.shouldKeepAlive = false;
    if (result.stream) {
      outgoing.writeHead(result.status, headers as string[]);
      flattenHeaderBlock(outgoing);
      relayStream(result.stream, outgoing, streamIdleTimeoutMs);
    } else {
      const body = result.body ?? new Uint8Array(0);
      // A 204 or 304 has no body, and RFC 9110 (§8.6) forbids a length on a 204.
      if (result.status !== 204 && result.status !== 304) headers.push('content-length', String(body.byteLength));
      outgoing.writeHead(result.status, headers as string[]);
      outgoing.end(body);
    }
    return RESPONSE_ALREADY_SENT;
  },
  afterAnswer(context, done) {
    const env = bindings(context);
    // Closed already when the caller left before the answer was written: then nothing more is held.
    if (env.outgoing.closed) done();
    // The caller signal's `close` listener calls it (a request refused before routing made no signal).
    else if (env.callerSignal) env.afterClose = done;
    else env.outgoing.once('close', done);
  },
});
