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
  /** `close` ends the response cleanly; `reset` sends a TCP RST. @default 'close' */
  cutMode?: 'close' | 'reset';
  /** Send a broken event after this many good ones (the `malformed-sse` fault). */
  malformedAfterChunks?: number;
  /** Send the API's mid-stream error event after this many good ones, then close (the `stream-error-event` fault). */
  errorAfterChunks?: number;
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
  const broken = plan.cutAfterChunks !== undefined || plan.malformedAfterChunks !== undefined || plan.errorAfterChunks !== undefined;
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
    cut(response, plan.cutAfterChunks !== undefined ? plan.cutMode : 'close');
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
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  response.writeHead(200, headers);
  for (let index = 0; index < events.length; index += 1) {
    if (index === plan.cutAfterChunks) {
      cut(response, plan.cutMode);
      return;
    }
    if (index === plan.malformedAfterChunks) {
      response.end(reply.malformed);
      return;
    }
    if (index === plan.errorAfterChunks) {
      response.end(reply.errorEvent(index, plan.errorVariant ?? 'error'));
      return;
    }
    if (index > 0 && !(await delays.wait(plan.chunkDelayMs, response))) return;
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
