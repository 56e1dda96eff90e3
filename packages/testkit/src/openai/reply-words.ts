/** Filler appended after the greeting, cycled as needed, so a reply can be any length and stay deterministic. */
const FILLER = ['This', 'is', 'a', 'scripted', 'reply', 'from', 'the', 'Detour', 'chaos', 'upstream.'];

/**
 * The words of every reply from an instance: a greeting naming it, then filler up to `count` words. One word is
 * one completion token and one stream chunk, so tests can predict both.
 *
 * @example
 * replyWords('primary', 5); // ['Hello', 'from', 'primary.', 'This', 'is']
 */
export function replyWords(name: string, count: number): string[] {
  const words = ['Hello', 'from', `${name}.`];
  for (let index = 0; words.length < count; index += 1) words.push(FILLER[index % FILLER.length] ?? 'word');
  return words;
}

/**
 * The reply cut to an output-token limit (`max_tokens`, `max_output_tokens`), at least one word, and whether it
 * was cut: a cut reply ends with `stop_reason: "max_tokens"` or `status: "incomplete"`.
 */
export function wordsWithin(words: readonly string[], limit: unknown): { words: readonly string[]; truncated: boolean } {
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit >= words.length) return { words, truncated: false };
  return { words: words.slice(0, Math.max(1, Math.floor(limit))), truncated: true };
}
