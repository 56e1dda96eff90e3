import { interruptedStreamEvent, readStreamLimited, toResponse } from '@detour/core/binding';
import { apiOfRoute } from '../apis/route-api';
import type { CallerSignal, RouteResult } from '@detour/core';
import type { Context } from 'hono';
import { overBudget, type BodyBudget, type BodyShare } from './body-budget';

/**
 * How a runtime reads a caller's request and writes the answer. The Web adapter works everywhere Hono does; the
 * Node entry swaps in one that talks to Node's request and response objects directly, which is the fastest path
 * measured for a proxy on @hono/node-server.
 */
export interface ProxyAdapter {
  /** One request header by lower-case name. */
  header(context: Context, name: string): string | undefined;
  /**
   * The whole request body, or undefined once `maxBytes` is exceeded; `share` grows by what is read (the body is
   * refused, `gateway_overloaded`, when it cannot: see {@link BodyBudget}). What is left unread is the server's to
   * drain after the answer (@hono/node-server reads and drops it, for a bounded time, before it closes the connection).
   */
  readBody(context: Context, maxBytes: number, share: BodyShare): Promise<Uint8Array | undefined>;
  /** Aborts when the caller goes away, so every attempt stops with it. */
  signal(context: Context): CallerSignal;
  /** Turns a served result into the response. */
  respond(context: Context, result: RouteResult): Response | Promise<Response>;
  /**
   * Calls `done` once the answer is finished or abandoned, so what the request held can go: Node's adapter when the
   * response closes (a stream at its end, or when the caller leaves). The Web adapter cannot see a body's end: it
   * calls `done` at once, when the answer is handed over.
   */
  afterAnswer(context: Context, done: () => void): void;
}

/**
 * The portable adapter: Web `Request` in, Web `Response` out; `scrub` rewrites relayed header values. A stream cut
 * after its first event ends with an error event in the route's API shape: workerd serves an errored body as a clean
 * chunked end, and SDKs would read that cut answer as a whole one.
 */
export const createWebAdapter = ({ scrub }: { scrub: (text: string) => string }): ProxyAdapter => ({
  header: (context, name) => context.req.header(name),
  // Chunk by chunk: a chunked upload with no length must not be read whole into a Worker's memory first.
  // Counted once read: a Worker's isolate holds few requests at a time, and the platform bounds slow uploads.
  readBody: async (context, maxBytes, share) => {
    const body = await readStreamLimited(context.req.raw.body, maxBytes);
    if (body && !share.grow(body.byteLength)) throw overBudget();
    return body;
  },
  signal: (context) => context.req.raw.signal,
  respond: (context, result) => {
    const api = apiOfRoute(context.req.path);
    // Only an event stream is ended with an error event; a binary answer relayed as it came (none of the gateway's
    // routes answer one today) would end in text under its own type, so its cut errors the body instead.
    const events = /text\/event-stream/i.test(String(result.headers['content-type'] ?? ''));
    return toResponse(result, scrub, events ? (error) => interruptedStreamEvent(scrub(error instanceof Error ? error.message : String(error)), api) : undefined);
  },
  afterAnswer: (_context, done) => done(),
});
