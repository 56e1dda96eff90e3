import type { PreparedReply } from '../openai/prepared-reply';
import { namedSseEvent } from '../openai/prepared-reply';
import type { MessageReply } from './message-reply';
import { messageUsage } from './message-reply';

/** Anthropic's documented mid-stream failure: an `error` event after HTTP 200, then the connection closes. */
const ERROR_EVENT: string = namedSseEvent('error', '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}');

const MESSAGE_STOP: string = namedSseEvent('message_stop', '{"type":"message_stop"}');

/** A delta whose JSON stops mid-string, then `message_stop`, as a truncating proxy would pass it on. */
const MALFORMED: string =
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\n\n' + MESSAGE_STOP;

const PING: string = namedSseEvent('ping', '{"type": "ping"}');

/**
 * The events of a streamed message in Anthropic's grammar: `message_start` (the message with empty content and
 * the input usage, cache split included), `content_block_start`, a `ping`, one `content_block_delta` per word,
 * `content_block_stop`, `message_delta` with the stop reason and output tokens, and `message_stop`.
 */
export function messagesStream(reply: MessageReply, tokens: number): PreparedReply {
  const start = {
    type: 'message_start',
    message: {
      id: reply.id,
      type: 'message',
      role: 'assistant',
      model: reply.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: messageUsage(reply, 1),
    },
  };
  const events = [
    namedSseEvent('message_start', JSON.stringify(start)),
    namedSseEvent('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'),
    PING,
  ];
  for (const piece of reply.pieces) {
    events.push(namedSseEvent('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(piece)}}}`));
  }
  events.push(namedSseEvent('content_block_stop', '{"type":"content_block_stop","index":0}'));
  const delta = { type: 'message_delta', delta: { stop_reason: reply.stopReason, stop_sequence: null }, usage: { output_tokens: reply.pieces.length } };
  events.push(namedSseEvent('message_delta', JSON.stringify(delta)), MESSAGE_STOP);
  return {
    kind: 'stream',
    events,
    tokens,
    commit: reply.usage.commit,
    malformed: MALFORMED,
    errorEvent: () => ERROR_EVENT,
    contentStart: 3,
    contentCount: reply.pieces.length,
    keepAlive: PING,
  };
}
