/** One tool call as far as the caller has received it. */
export interface DeliveredToolCall {
  name: string;
  arguments: string;
}

/**
 * What the caller has received of a chat completion stream's one choice, event by event: the identity a rescued
 * stream must keep (`id`, `created`, `model`, `system_fingerprint`) and the text of each channel. A rescue builds
 * its continuation from it and checks a replay against it.
 */
export interface DeliveredAnswer {
  id: unknown;
  created: unknown;
  model: unknown;
  systemFingerprint: unknown;
  /** `delta.reasoning_content` (DeepSeek, vLLM) or `delta.reasoning` (OpenRouter), in order. */
  reasoning: string;
  content: string;
  /** By `index`. */
  toolCalls: DeliveredToolCall[];
  finishReason: string | undefined;
  /** Chunks that carried text: about one token each, which estimates what a cut stream delivered. */
  textChunks: number;
  /** Messages: content blocks started, and the index of a text block still open. */
  blocks: number;
  openBlock: number | undefined;
  /**
   * Whether the answer holds only what a rescue compares: in Messages, text blocks; in chat, text, reasoning and
   * tool calls (no refusal, audio or other delta field). An answer that is not is never rescued.
   */
  textOnly: boolean;
  /**
   * Messages: where each text block begins in `content` (which runs every block's text together), by block index;
   * undefined until the first block starts. A replay is matched against the delivered answer block by block.
   */
  blockStarts: number[] | undefined;
  /** Characters of text held (every channel, tool calls included), and the most it may hold. */
  held: number;
  readonly maxHeld: number;
  /**
   * The text passed `maxHeld` and was let go: the stream relays on, but can no longer be continued or have a
   * replay checked against it, so it is not rescued. Without the bound a rescuable stream held every character it
   * delivered for its whole life, and long or endless streams could take a gateway's heap.
   */
  overflowed: boolean;
}

/** An empty answer, before the first chunk, that holds at most `maxHeld` characters of text. */
export const createDeliveredAnswer = (maxHeld = Infinity): DeliveredAnswer => ({
  id: undefined, created: undefined, model: undefined, systemFingerprint: undefined,
  reasoning: '', content: '', toolCalls: [], finishReason: undefined, textChunks: 0,
  blocks: 0, openBlock: undefined, textOnly: true, blockStarts: undefined, held: 0, maxHeld, overflowed: false,
});

/** Tokens of a text, estimated: about 4 ASCII characters a token, and one a character beyond (CJK is about one each). */
const textTokens = (text: string): number => {
  let ascii = 0;
  for (let index = 0; index < text.length; index += 1) if (text.charCodeAt(index) < 128) ascii += 1;
  return Math.ceil(ascii / 4) + text.length - ascii;
};

/**
 * The tokens a cut stream delivered, estimated: the larger of its text chunks (OpenAI streams a token a chunk) and
 * its text's estimate, since Anthropic packs several tokens into each `text_delta`, and so do Gemini and relays of
 * Claude on the chat API. A continuation's `max_tokens` is lowered by it and the caller's usage counts it: counted by
 * chunks, a Messages continuation ran past the caller's budget and its usage said 5 tokens for 200 words (the twelfth
 * attack).
 */
export const deliveredTokens = (answer: DeliveredAnswer, request: Readonly<Record<string, unknown>> | undefined): number => {
  const estimate = Math.max(answer.textChunks, textTokens(answer.reasoning) + textTokens(answer.content));
  // The upstream kept to the caller's limit, so what it delivered is no more than that: an estimate past it (short
  // tokens, 5 characters a word) would report more output than the caller allowed.
  const limit = outputLimit(request);
  return limit === undefined ? estimate : Math.min(estimate, limit);
};

/** The caller's output limit (`max_completion_tokens`, else `max_tokens`), when it set a usable one. */
export const outputLimit = (request: Readonly<Record<string, unknown>> | undefined): number | undefined => {
  const limit = request?.max_completion_tokens ?? request?.max_tokens;
  return typeof limit === 'number' && limit >= 0 ? limit : undefined;
};

/**
 * Counts `added` characters of text as held. Past the answer's bound, lets every channel's text go and marks it
 * overflowed (see {@link DeliveredAnswer.overflowed}). Returns whether text may still be kept.
 */
export const holdText = (answer: DeliveredAnswer, added: number): boolean => {
  if (answer.overflowed) return false;
  answer.held += added;
  if (answer.held <= answer.maxHeld) return true;
  answer.overflowed = true;
  answer.reasoning = answer.content = '';
  answer.toolCalls = [];
  answer.blockStarts = undefined;
  return false;
};

/** A chunk's delta, as far as the answer cares. */
export interface ChunkDelta {
  content?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
  role?: unknown;
  tool_calls?: unknown;
}

/** A chat completion chunk's first choice, when it has one. */
export const firstChoice = (chunk: Record<string, unknown>): { delta?: ChunkDelta; finish_reason?: unknown; index?: unknown } | undefined => {
  const choices = chunk.choices;
  if (!Array.isArray(choices) || choices.length === 0) return undefined;
  const choice: unknown = choices[0];
  return typeof choice === 'object' && choice !== null ? choice : undefined;
};

/** A tool call delta's fields, read defensively (providers differ in what they repeat). */
export const readToolDelta = (value: unknown): { index: number; name: string; arguments: string } | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const call = value as { index?: unknown; function?: { name?: unknown; arguments?: unknown } };
  const index = typeof call.index === 'number' && Number.isInteger(call.index) && call.index >= 0 && call.index < 128 ? call.index : 0;
  const name = typeof call.function?.name === 'string' ? call.function.name : '';
  const args = typeof call.function?.arguments === 'string' ? call.function.arguments : '';
  return { index, name, arguments: args };
};

/** The reasoning text a delta carries, under either name providers use. */
export const reasoningOf = (delta: ChunkDelta): string =>
  typeof delta.reasoning_content === 'string' ? delta.reasoning_content : typeof delta.reasoning === 'string' ? delta.reasoning : '';

/** Text chunks between two flattenings of the delivered text (see {@link compactAnswer}). */
const compactEvery = 64;

/**
 * Makes V8 copy a string built by `+=` into one flat string. Each `+=` onto a long string makes a cons string: a
 * 32-byte node pointing at the text so far and at the new piece, itself a string of its own, so an answer of 500
 * one-token chunks held ~28 KB instead of ~2 KB (1,000 such streams: 18 MiB against 6). Converting a string to a
 * number flattens it first; the number is not wanted.
 */
const flatten = (text: string): void => {
  if (text.length > 0) void Number(text);
};

/**
 * Flattens the answer's text every {@link compactEvery} text chunks: a rescuable stream keeps what it delivered
 * for its whole life, and the copies cost linear time in all (a few kilobytes every 64 tokens).
 */
export const compactAnswer = (answer: DeliveredAnswer): void => {
  if (answer.textChunks % compactEvery !== 0) return;
  flatten(answer.content);
  flatten(answer.reasoning);
  for (const call of answer.toolCalls) if (call) flatten(call.arguments);
};

// What a chat delta may carry and a rescue still compares: text, reasoning (OpenRouter's `reasoning_details` is its
// reasoning again, structured) and tool calls. Anything else said (a refusal, audio, a legacy `function_call`,
// annotations) a replay would repeat or a continuation contradict unseen: the answer is then not rescued.
const comparedDeltaKeys = new Set(['role', 'content', 'reasoning_content', 'reasoning', 'reasoning_details', 'tool_calls']);

/** Whether a value says nothing: null, empty text, an empty list or object (`"refusal": null`, `"audio": {}`). */
const saysNothing = (value: unknown): boolean =>
  value === null || value === undefined || value === '' || (typeof value === 'object' && Object.keys(value).length === 0);

/** Whether a delta says something a rescue does not compare (see {@link comparedDeltaKeys}). */
const saysMore = (delta: Record<string, unknown>): boolean => {
  for (const key in delta) if (!comparedDeltaKeys.has(key) && !saysNothing(delta[key])) return true;
  return false;
};

/** Adds one delivered chunk to the answer. The identity comes from the first chunk that has it. */
export const noteDelivered = (answer: DeliveredAnswer, chunk: Record<string, unknown>): void => {
  answer.id ??= chunk.id;
  answer.created ??= chunk.created;
  answer.model ??= chunk.model;
  answer.systemFingerprint ??= chunk.system_fingerprint;
  const choice = firstChoice(chunk);
  if (!choice) return;
  const delta = choice.delta ?? {};
  if (answer.textOnly && saysMore(delta as Record<string, unknown>)) answer.textOnly = false;
  const reasoning = reasoningOf(delta);
  const content = typeof delta.content === 'string' ? delta.content : '';
  let text = reasoning !== '' || content !== '';
  if (holdText(answer, reasoning.length + content.length)) {
    answer.reasoning += reasoning;
    answer.content += content;
  }
  if (Array.isArray(delta.tool_calls)) {
    for (const item of delta.tool_calls) {
      const call = readToolDelta(item);
      if (!call) continue;
      text ||= call.arguments !== '' || call.name !== '';
      if (!holdText(answer, call.name.length + call.arguments.length)) continue;
      const known = (answer.toolCalls[call.index] ??= { name: '', arguments: '' });
      known.name += call.name;
      known.arguments += call.arguments;
    }
  }
  if (text) {
    answer.textChunks += 1;
    compactAnswer(answer);
  }
  if (typeof choice.finish_reason === 'string') answer.finishReason = choice.finish_reason;
};
