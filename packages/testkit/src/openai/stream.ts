import { chatStreamBreaks } from './chat-stream-breaks';
import { chatUsageJson } from './chat-usage';
import type { PreparedReply, ReplyContext } from './prepared-reply';
import { SSE_DONE, sseEvent, wantsStreamUsage } from './prepared-reply';

/**
 * The events of a streamed chat completion, exactly as OpenAI sends them: a first chunk carrying the role, one
 * chunk per word, a chunk with `finish_reason: "stop"`, then (with `stream_options.include_usage`) a chunk with
 * empty `choices` and the usage, and finally `[DONE]`. With usage requested, OpenAI also puts `"usage":null` on
 * every other chunk.
 */
export function chatCompletionStream(context: ReplyContext): PreparedReply {
  const includeUsage = wantsStreamUsage(context.body);
  const head =
    `{"id":"chatcmpl-${context.id}","object":"chat.completion.chunk","created":${context.created},` +
    `"model":${JSON.stringify(context.model)},"service_tier":"default","system_fingerprint":null,"choices":`;
  const tail = includeUsage ? ',"usage":null}' : '}';
  const choice = (delta: string, finishReason: string): string =>
    `[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finishReason}}]`;

  const events = [sseEvent(`${head}${choice('{"role":"assistant","content":"","refusal":null}', 'null')}${tail}`)];
  context.words.forEach((word, index) => {
    const text = index === 0 ? word : ` ${word}`;
    events.push(sseEvent(`${head}${choice(`{"content":${JSON.stringify(text)}}`, 'null')}${tail}`));
  });
  events.push(sseEvent(`${head}${choice('{}', '"stop"')}${tail}`));
  if (includeUsage) {
    events.push(sseEvent(`${head}[],"usage":${chatUsageJson(context.promptTokens, context.words.length)}}`));
  }
  events.push(SSE_DONE);
  return { kind: 'stream', events, tokens: context.promptTokens + context.words.length, ...chatStreamBreaks };
}
