import { chatUsageJson } from './chat-usage';
import type { PreparedReply, ReplyContext } from './prepared-reply';
import { wantsStream } from './prepared-reply';
import { piecesWithin } from './reply-words';
import { chatCompletionStream } from './stream';

/**
 * Answers `POST /v1/chat/completions`: a `chat.completion` object, or its stream when `stream: true`.
 * `max_completion_tokens` (or the older `max_tokens`) below the answer's length cuts it, with `finish_reason:
 * "length"`. The JSON is assembled from pre-encoded pieces instead of `JSON.stringify` on an object, because this is
 * the hot path of every benchmark that uses the upstream.
 */
export function prepareChatCompletion(context: ReplyContext): PreparedReply {
  const limit = context.body.max_completion_tokens ?? context.body.max_tokens;
  const { pieces, truncated } = piecesWithin(context.pieces, limit);
  const finishReason = truncated ? 'length' : 'stop';
  if (wantsStream(context.body)) return chatCompletionStream(context, pieces, finishReason);
  const contentJson = truncated ? JSON.stringify(pieces.join('')) : context.contentJson;
  const body =
    `{"id":"chatcmpl-${context.id}","object":"chat.completion","created":${context.created},` +
    `"model":${JSON.stringify(context.model)},"choices":[{"index":0,"message":{"role":"assistant",` +
    `"content":${contentJson},"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"${finishReason}"}],` +
    `"usage":${chatUsageJson(context.promptTokens, pieces.length)},"service_tier":"default","system_fingerprint":null}`;
  return { kind: 'json', body, tokens: context.promptTokens + pieces.length };
}
