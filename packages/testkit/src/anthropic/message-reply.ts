import type { PromptUsage } from './prompt-usage';

/** What the JSON answer and the stream share: the reply pieces, why they stopped, and the prompt's usage. */
export interface MessageReply {
  id: string;
  model: string;
  /** Content pieces, one per output token and stream delta. */
  pieces: readonly string[];
  stopReason: 'end_turn' | 'max_tokens';
  usage: PromptUsage;
}

/** Anthropic's `usage` object; the stream's `message_start` sends it with `output_tokens` so far. */
export function messageUsage(reply: MessageReply, outputTokens: number): Record<string, unknown> {
  const { usage } = reply;
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheCreationInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    cache_creation: usage.cacheCreation,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}
