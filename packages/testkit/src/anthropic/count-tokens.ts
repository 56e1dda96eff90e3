import type { PreparedReply, ReplyContext } from '../openai/prepared-reply';
import { promptUsage } from './prompt-usage';
import { checkMessagesRequest } from './request-checks';

/**
 * Answers `POST /v1/messages/count_tokens` with `{input_tokens}`: the whole prompt as the Messages route would
 * count it, cached or not, and without touching the prompt cache.
 */
export function prepareCountTokens(context: ReplyContext): PreparedReply {
  const rejected = checkMessagesRequest(context, ['model', 'messages']);
  if (rejected !== undefined) return rejected;
  const usage = promptUsage(context.body, context.promptCache);
  const inputTokens = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
  return { kind: 'json', body: `{"input_tokens":${inputTokens}}`, tokens: 0 };
}
