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
 * The pieces cut to an output-token limit (`max_tokens`, `max_completion_tokens`, `max_output_tokens`), at least one
 * piece when there is one, and whether they were cut.
 */
export function piecesWithin(pieces: readonly string[], limit: unknown): { pieces: readonly string[]; truncated: boolean } {
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit >= pieces.length) return { pieces, truncated: false };
  return { pieces: pieces.slice(0, Math.max(1, Math.floor(limit))), truncated: true };
}
