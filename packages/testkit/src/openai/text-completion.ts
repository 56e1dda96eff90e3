import { chatStreamBreaks } from './chat-stream-breaks';
import type { PreparedReply, ReplyContext } from './prepared-reply';
import { SSE_DONE, SSE_KEEP_ALIVE, sseEvent, wantsStream, wantsStreamUsage } from './prepared-reply';

function usageJson(promptTokens: number, completionTokens: number): string {
  return `{"prompt_tokens":${promptTokens},"completion_tokens":${completionTokens},"total_tokens":${promptTokens + completionTokens}}`;
}

/**
 * Answers the legacy `POST /v1/completions` with a `text_completion` object, or its stream: one chunk per piece
 * (word), the last carrying `finish_reason: "stop"`, then the optional usage chunk and `[DONE]`.
 */
export function prepareTextCompletion(context: ReplyContext): PreparedReply {
  const completionTokens = context.pieces.length;
  const tokens = context.promptTokens + completionTokens;
  const head = `{"id":"cmpl-${context.id}","object":"text_completion","created":${context.created},"model":${JSON.stringify(context.model)}`;
  if (!wantsStream(context.body)) {
    const body =
      `${head},"choices":[{"text":${context.contentJson},"index":0,"logprobs":null,"finish_reason":"stop"}],` +
      `"usage":${usageJson(context.promptTokens, completionTokens)},"system_fingerprint":null}`;
    return { kind: 'json', body, tokens };
  }
  const events = context.pieces.map((piece, index) => {
    const text = JSON.stringify(piece);
    const finishReason = index === context.pieces.length - 1 ? '"stop"' : 'null';
    return sseEvent(`${head},"choices":[{"text":${text},"index":0,"logprobs":null,"finish_reason":${finishReason}}]}`);
  });
  if (wantsStreamUsage(context.body)) {
    events.push(sseEvent(`${head},"choices":[],"usage":${usageJson(context.promptTokens, completionTokens)}}`));
  }
  events.push(SSE_DONE);
  return { kind: 'stream', events, tokens, ...chatStreamBreaks, contentStart: 0, contentCount: completionTokens, keepAlive: SSE_KEEP_ALIVE };
}
