import { chatUsageJson } from './chat-usage';
import type { PreparedReply, ReplyContext } from './prepared-reply';
import { wantsStream } from './prepared-reply';
import { chatCompletionStream } from './stream';

/**
 * Answers `POST /v1/chat/completions`: a `chat.completion` object, or its stream when `stream: true`. The JSON is
 * assembled from pre-encoded pieces instead of `JSON.stringify` on an object, because this is the hot path of every
 * benchmark that uses the upstream.
 */
export function prepareChatCompletion(context: ReplyContext): PreparedReply {
  if (wantsStream(context.body)) return chatCompletionStream(context);
  const completionTokens = context.words.length;
  const body =
    `{"id":"chatcmpl-${context.id}","object":"chat.completion","created":${context.created},` +
    `"model":${JSON.stringify(context.model)},"choices":[{"index":0,"message":{"role":"assistant",` +
    `"content":${context.contentJson},"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],` +
    `"usage":${chatUsageJson(context.promptTokens, completionTokens)},"service_tier":"default","system_fingerprint":null}`;
  return { kind: 'json', body, tokens: context.promptTokens + completionTokens };
}
