import type { PreparedReply, ReplyContext } from '../openai/prepared-reply';
import { wantsStream } from '../openai/prepared-reply';
import { piecesWithin } from '../openai/reply-words';
import { messagesStream } from './messages-stream';
import type { MessageReply } from './message-reply';
import { messageUsage } from './message-reply';
import { promptUsage } from './prompt-usage';
import { checkMessagesRequest } from './request-checks';

/**
 * Answers `POST /v1/messages` in Anthropic's shape: a `message` with one text block, `stop_reason` `end_turn` (or
 * `max_tokens` when `max_tokens` cut the reply) and usage with the cache split, or its event stream when
 * `stream: true`. Requests without a key, without `anthropic-version`, or without `max_tokens` / `messages` are
 * rejected first, as the real API does.
 */
export function prepareMessage(context: ReplyContext): PreparedReply {
  const rejected = checkMessagesRequest(context, ['model', 'max_tokens', 'messages']);
  if (rejected !== undefined) return rejected;
  const { pieces, truncated } = piecesWithin(context.pieces, context.body.max_tokens);
  const reply: MessageReply = {
    id: `msg_${context.id}`,
    model: context.model,
    pieces,
    stopReason: truncated ? 'max_tokens' : 'end_turn',
    usage: promptUsage(context.body, context.promptCache),
  };
  const { usage } = reply;
  const tokens = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens + pieces.length;
  if (wantsStream(context.body)) return messagesStream(reply, tokens);
  const body = JSON.stringify({
    id: reply.id,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: [{ type: 'text', text: pieces.join('') }],
    stop_reason: reply.stopReason,
    stop_sequence: null,
    usage: messageUsage(reply, pieces.length),
  });
  return { kind: 'json', body, tokens, commit: usage.commit };
}
