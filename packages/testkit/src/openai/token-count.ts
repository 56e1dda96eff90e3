/** Roughly four characters per token: close enough for usage figures and limiter costs, and cheap. */
export function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}

/** Characters of text in a chat message `content`: a string, or an array of parts of which only text counts. */
function contentLength(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let length = 0;
  for (const part of content) {
    if (typeof part === 'string') length += part.length;
    else if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
      length += (part as { text: string }).text.length;
    }
  }
  return length;
}

/**
 * Characters of a prompt or embedding input: a string, a list of strings, pre-tokenised number arrays, or (on the
 * Responses API) a list of messages.
 */
function inputLength(input: unknown): number {
  if (typeof input === 'string') return input.length;
  if (typeof input === 'number') return 4;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return contentLength((input as { content?: unknown }).content);
  if (!Array.isArray(input)) return 0;
  let length = 0;
  for (const item of input) length += inputLength(item);
  return length;
}

/**
 * Prompt tokens of a request body, from the length of its input text: messages, prompt, embedding or Responses
 * input, Responses `instructions` and Anthropic `system`.
 *
 * @example
 * countPromptTokens({ messages: [{ role: 'user', content: 'Hi there' }] }); // 2
 */
export function countPromptTokens(body: Record<string, unknown>): number {
  let length = 0;
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) {
      if (message !== null && typeof message === 'object') length += contentLength((message as { content?: unknown }).content);
    }
  }
  length += inputLength(body.prompt) + inputLength(body.input) + contentLength(body.system) + contentLength(body.instructions);
  return estimateTokens(length);
}
