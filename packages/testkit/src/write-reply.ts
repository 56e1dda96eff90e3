import type { ServerResponse } from 'node:http';
import type { Delays } from './delays';
import type { PreparedReply, StreamErrorVariant } from './openai/prepared-reply';

/** How to deliver a healthy reply: at full speed, slowly, or broken part way. */
export interface DeliveryPlan {
  /** Pause between stream events (or between pieces of a slow JSON body). */
  chunkDelayMs: number;
  /** Split a JSON body into pieces sent `chunkDelayMs` apart (the `slow-body` fault). */
  slowJson?: boolean;
  /** Stop after this many events, without `[DONE]` (the `cut-stream` fault). */
  cutAfterChunks?: number;
  /** Stop after this many content tokens instead. */
  cutAfterTokens?: number;
  /** `close` ends the response cleanly; `reset` sends a TCP RST. @default 'close' */
  cutMode?: 'close' | 'reset';
  /** Send a broken event after this many good ones (the `malformed-sse` fault). */
  malformedAfterChunks?: number;
  /** Send it after this many content tokens instead. */
  malformedAfterTokens?: number;
  /** Send the API's mid-stream error event after this many good ones, then close (the `stream-error-event` fault). */
  errorAfterChunks?: number;
  /** Send it after this many content tokens instead. */
  errorAfterTokens?: number;
  /** Go silent after this many content tokens, for `ms` (for ever without), keeping alive every `keepAliveMs` (the `stall` fault). */
  stall?: { afterTokens: number; ms?: number; keepAliveMs?: number };
  /** Which error event, where the API has several. @default 'error' */
  errorVariant?: StreamErrorVariant;
}

/** Pieces a slow JSON body is dribbled out in. */
const SLOW_JSON_PIECES = 8;

/** Ends the connection the way the plan asks: a clean end, or a reset once the bytes already written are on the wire. */
function cut(response: ServerResponse, mode: 'close' | 'reset' | undefined): void {
  if (mode !== 'reset') {
    response.end();
    return;
  }
  const socket = response.socket;
  if (socket === null) return;
  // Headers may still be buffered (no event written yet); push them out before the RST discards the send queue.
  response.flushHeaders();
  socket.write('', () => socket.resetAndDestroy());
}

/** Whether the plan breaks the answer (a cut, a malformed event or an error event). */
export function isBroken(plan: DeliveryPlan): boolean {
  return (
    plan.cutAfterChunks !== undefined ||
    plan.cutAfterTokens !== undefined ||
    plan.malformedAfterChunks !== undefined ||
    plan.malformedAfterTokens !== undefined ||
    plan.errorAfterChunks !== undefined ||
    plan.errorAfterTokens !== undefined
  );
}

/** Whether the plan ends the answer with the API's mid-stream error. */
export function endsInError(plan: DeliveryPlan): boolean {
  return plan.errorAfterChunks !== undefined || plan.errorAfterTokens !== undefined;
}

/**
 * Keeps a stream silent for `ms` (for ever when undefined), writing the API's keep-alive every `keepAliveMs` if
 * set. Resolves `false` when the response closes first.
 */
async function stallFor(
  response: ServerResponse,
  stall: NonNullable<DeliveryPlan['stall']>,
  keepAlive: string,
  delays: Delays,
): Promise<boolean> {
  let remaining = stall.ms ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const step = stall.keepAliveMs !== undefined && stall.keepAliveMs > 0 ? Math.min(stall.keepAliveMs, remaining) : remaining;
    if (!(await delays.wait(step, response))) return false;
    remaining -= step;
    if (remaining > 0) response.write(keepAlive);
  }
  return true;
}

function piecesOf(body: string, count: number): string[] {
  const size = Math.ceil(body.length / count);
  const pieces: string[] = [];
  for (let start = 0; start < body.length; start += size) pieces.push(body.slice(start, start + size));
  return pieces;
}

async function writeJson(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
  plan: DeliveryPlan,
  delays: Delays,
): Promise<void> {
  const broken = isBroken(plan);
  if (!plan.slowJson && !broken) {
    headers['content-length'] = String(Buffer.byteLength(body));
    response.writeHead(status, headers);
    response.end(body);
    return;
  }
  response.writeHead(status, headers);
  if (broken) {
    // A JSON body has no events to count, so a broken one is simply cut in half.
    response.write(body.slice(0, Math.floor(body.length / 2)));
    cut(response, plan.cutAfterChunks !== undefined || plan.cutAfterTokens !== undefined ? plan.cutMode : 'close');
    return;
  }
  // The status line goes out at once: a slow body is a fast first byte followed by a trickle.
  const pieces = piecesOf(body, SLOW_JSON_PIECES);
  for (let index = 0; index < pieces.length; index += 1) {
    if (index > 0 && !(await delays.wait(plan.chunkDelayMs, response))) return;
    response.write(pieces[index]);
  }
  response.end();
}

async function writeStream(
  response: ServerResponse,
  headers: Record<string, string>,
  reply: Extract<PreparedReply, { kind: 'stream' }>,
  plan: DeliveryPlan,
  delays: Delays,
): Promise<void> {
  const events = reply.events;
  // A break point in tokens is an event index once the API's leading events are counted.
  const at = (chunks: number | undefined, tokens: number | undefined): number | undefined =>
    tokens === undefined ? chunks : reply.contentStart + Math.min(tokens, reply.contentCount);
  const cutAt = at(plan.cutAfterChunks, plan.cutAfterTokens);
  const malformedAt = at(plan.malformedAfterChunks, plan.malformedAfterTokens);
  const errorAt = at(plan.errorAfterChunks, plan.errorAfterTokens);
  const stallAt = plan.stall === undefined ? undefined : at(undefined, plan.stall.afterTokens);
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  response.writeHead(200, headers);
  for (let index = 0; index < events.length; index += 1) {
    if (index === cutAt) {
      cut(response, plan.cutMode);
      return;
    }
    if (index === malformedAt) {
      response.end(reply.malformed);
      return;
    }
    if (index === errorAt) {
      response.end(reply.errorEvent(index, plan.errorVariant ?? 'error'));
      return;
    }
    const paced = index > 0 && index !== reply.unpacedEvent;
    if (paced && !(await delays.wait(plan.chunkDelayMs, response))) return;
    if (index === stallAt && plan.stall !== undefined && !(await stallFor(response, plan.stall, reply.keepAlive, delays))) return;
    response.write(events[index]);
  }
  response.end();
}

/**
 * Sends a prepared healthy reply according to the plan. Resolves when the last byte is handed to the socket, or
 * early when the client or the server closes the connection.
 */
export async function writeReply(
  response: ServerResponse,
  headers: Record<string, string>,
  reply: PreparedReply,
  plan: DeliveryPlan,
  delays: Delays,
): Promise<void> {
  if (reply.kind === 'json') {
    headers['content-type'] = 'application/json';
    return writeJson(response, 200, headers, reply.body, plan, delays);
  }
  if (reply.kind === 'stream') return writeStream(response, headers, reply, plan, delays);
}
