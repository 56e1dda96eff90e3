import { chatStreamBreaks } from './chat-stream-breaks';
import { chatUsageJson } from './chat-usage';
import type { PreparedReply, ReplyContext } from './prepared-reply';
import { SSE_DONE, SSE_KEEP_ALIVE, sseEvent, wantsStreamUsage } from './prepared-reply';

/**
 * The events of a streamed chat completion, exactly as OpenAI sends them: a first chunk carrying the role, one
 * chunk per piece (word), a chunk with `finish_reason: "stop"` (`"length"` when `max_tokens` cut the answer), then
 * (with `stream_options.include_usage`) a chunk with empty `choices` and the usage, and finally `[DONE]`. With usage
 * requested, OpenAI also puts `"usage":null` on every other chunk. Under `slow-body` pacing the usage chunk follows the
 * finish chunk at once, as a provider's does (it carries no generated text).
 */
export function chatCompletionStream(context: ReplyContext, pieces: readonly string[], finishReason: string): PreparedReply {
  const includeUsage = wantsStreamUsage(context.body);
  const head =
    `{"id":"chatcmpl-${context.id}","object":"chat.completion.chunk","created":${context.created},` +
    `"model":${JSON.stringify(context.model)},"service_tier":"default","system_fingerprint":null,"choices":`;
  const tail = includeUsage ? ',"usage":null}' : '}';
  const choice = (delta: string, finish: string): string =>
    `[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]`;

  const events = [sseEvent(`${head}${choice('{"role":"assistant","content":"","refusal":null}', 'null')}${tail}`)];
  for (const piece of pieces) events.push(sseEvent(`${head}${choice(`{"content":${JSON.stringify(piece)}}`, 'null')}${tail}`));
  events.push(sseEvent(`${head}${choice('{}', JSON.stringify(finishReason))}${tail}`));
  // The usage chunk is not generated: it leaves with the finish chunk rather than a pacing delay after it.
  const unpacedEvent = includeUsage ? events.length : undefined;
  if (includeUsage) {
    events.push(sseEvent(`${head}[],"usage":${chatUsageJson(context.promptTokens, pieces.length)}}`));
  }
  events.push(SSE_DONE);
  return {
    kind: 'stream',
    events,
    ...(unpacedEvent === undefined ? {} : { unpacedEvent }),
    tokens: context.promptTokens + pieces.length,
    ...chatStreamBreaks,
    contentStart: 1,
    contentCount: pieces.length,
    keepAlive: SSE_KEEP_ALIVE,
  };
}
