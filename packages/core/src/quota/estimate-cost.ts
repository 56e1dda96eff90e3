import type { QuotaCost } from './quota-tracker';

type Json = Readonly<Record<string, unknown>>;

// Per-message framing tokens (role, separators) that chat formats add around each message's text.
const perMessageTokens = 4;
// Nested content is walked only this deep and this wide: the estimate must stay cheap on hostile bodies.
const maxDepth = 8;
const maxParts = 10_000;

// Where prompts live in a body: made once, not per body.
const promptFields = ['messages', 'input', 'prompt', 'system', 'instructions', 'tools'] as const;

/** Characters of prompt text in a chat, responses, messages, completions or embeddings body, walked once. */
const promptCharacters = (json: Json): { characters: number; messages: number } => {
  let characters = 0;
  let messages = 0;
  let parts = 0;
  const walk = (value: unknown, depth: number): void => {
    if (parts++ > maxParts || depth > maxDepth) return;
    if (typeof value === 'string') {
      characters += value.length;
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
    } else if (typeof value === 'object' && value !== null) {
      // Text lives under `content`, `text`, `input` or `output` (tool results) and `arguments` (tool calls); images
      // and audio are counted as their URLs or data, which overestimates: safe for a reservation. Read by name: the
      // messages of one body share a shape, so each read is one check of it, where `field in record` over a list of
      // names was a megamorphic lookup per name and message (30 thousand instructions for a 20 kB conversation).
      const { content, text, input, output, arguments: toolArguments } = value as Json;
      if (content !== undefined) walk(content, depth + 1);
      if (text !== undefined) walk(text, depth + 1);
      if (input !== undefined) walk(input, depth + 1);
      if (output !== undefined) walk(output, depth + 1);
      if (toolArguments !== undefined) walk(toolArguments, depth + 1);
    }
  };
  for (const field of promptFields) {
    const value = json[field];
    if (value === undefined) continue;
    if (field === 'messages' && Array.isArray(value)) messages += value.length;
    // Tool definitions are sent as JSON schema: count their serialized size.
    if (field === 'tools') characters += JSON.stringify(value)?.length ?? 0;
    else walk(value, 0);
  }
  return { characters, messages };
};

const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;

/**
 * Estimates what a request will cost a provider's quota: prompt tokens at about four characters a token (scaled by
 * `inputRatio`, the calibration learned from reported usage) plus framing per message, and output tokens as
 * `max_tokens` / `max_completion_tokens` / `max_output_tokens` (times `n`), else `defaultOutputTokens`, else 0
 * for embeddings and moderations. A body that is not JSON costs one request and its bytes / 4. Pure.
 */
export const estimateCost = (
  json: Json | undefined,
  bodyBytes: number,
  path: string,
  { defaultOutputTokens, inputRatio = 1 }: { defaultOutputTokens: number; inputRatio?: number },
): QuotaCost => {
  if (json === undefined) return { requests: 1, inputTokens: Math.ceil(bodyBytes / 4), outputTokens: 0 };
  const { characters, messages } = promptCharacters(json);
  const inputTokens = Math.ceil((characters / 4) * inputRatio) + messages * perMessageTokens;
  const noOutput = /^\/(embeddings|moderations|messages\/count_tokens)/.test(path);
  const choices = positive(json.n) ?? 1;
  const maximum = positive(json.max_completion_tokens) ?? positive(json.max_tokens) ?? positive(json.max_output_tokens);
  const outputTokens = noOutput ? 0 : (maximum ?? defaultOutputTokens) * Math.min(choices, 128);
  return { requests: 1, inputTokens, outputTokens };
};
