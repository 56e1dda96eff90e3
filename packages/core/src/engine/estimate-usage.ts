import type { Usage } from '../pricing/usage';
import type { RequestState } from './request-state';

/**
 * What a stream is priced and counted by, whether it ended or failed: the usage it reported when that is final
 * (chat's usage chunk, a terminal event, an Anthropic `message_delta`; a `response.failed` in the first read), else the
 * estimate, which keeps a partial report's prompt counts. The estimate is a new object: `!== reported` tells them apart.
 */
export const streamedUsage = (state: RequestState, outputEvents: number, reported: Usage | undefined, complete: boolean | undefined): Usage =>
  reported && complete ? reported : estimatedUsage(state, outputEvents, reported);

// Bounds the walk of an answer without usage: its strings, not its size, are what is priced.
const maxAnswerNodes = 100_000;

/** Tokens of a JSON answer's text, at about 4 characters a token: every string in it (content, tool arguments, ids). */
export const answerTokens = (answer: unknown): number => {
  let characters = 0;
  let visited = 0;
  const pending: unknown[] = [answer];
  while (pending.length > 0 && visited < maxAnswerNodes) {
    const value = pending.pop();
    visited += 1;
    if (typeof value === 'string') characters += value.length;
    else if (Array.isArray(value)) {
      // By index, and no further than the bound: `for...in` lists every key of a large array (an embedding's floats)
      // before the first one is looked at.
      for (let index = 0; index < value.length && visited + pending.length < maxAnswerNodes; index += 1) pending.push(value[index]);
    } else if (typeof value === 'object' && value !== null) {
      for (const key in value) {
        if (visited + pending.length >= maxAnswerNodes) break;
        pending.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return Math.ceil(characters / 4);
};

/**
 * The usage an answer is billed for when the provider did not report all of it: about 4 bytes a prompt token and
 * one token an output event (or, for a JSON answer, 4 characters of its text). A partial report (Anthropic's
 * `message_start`, cut before any `message_delta`) keeps its prompt counts, and its output count when larger.
 */
export const estimatedUsage = (state: RequestState, outputTokens: number, partial?: Usage): Usage =>
  partial
    ? { ...partial, outputTokens: Math.max(partial.outputTokens, outputTokens) }
    : { inputTokens: Math.ceil(state.prepared.bodyBytes / 4), cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens, reasoningTokens: 0 };
