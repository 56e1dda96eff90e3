import { createUtf8StreamDecoder } from './utf8-stream-decoder';

/** Rewrites an event stream chunk by chunk; `flush` returns what is left at the end. */
export interface ChunkFilter {
  push(chunk: Uint8Array): Uint8Array | undefined;
  flush(): Uint8Array | undefined;
  /**
   * What the filter withheld as the upstream's failure (an error event, an event that is not valid JSON): the stream
   * then ends interrupted, even after a terminating event, which the filter withholds too.
   */
  readonly upstreamError?: unknown;
}

const eventBoundary = /\r?\n\r?\n/;
// Stateless, so one serves every stream.
const encoder = new TextEncoder();

// The usage-only chunk OpenAI sends last when `stream_options.include_usage` is set: no choices, just counts. Other
// chunks can also have empty choices (Azure's prompt_filter_results) or `"usage": null`, so candidates are parsed.
const isUsageOnly = (event: string): boolean => {
  if (!event.includes('"usage"') || !/"choices"\s*:\s*(\[\s*\]|null)/.test(event)) return false;
  const data = event.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(line[5] === ' ' ? 6 : 5)).join('\n');
  try {
    const chunk = JSON.parse(data) as { choices?: unknown; usage?: unknown; prompt_filter_results?: unknown };
    const noChoices = chunk.choices === null || (Array.isArray(chunk.choices) && chunk.choices.length === 0);
    return noChoices && typeof chunk.usage === 'object' && chunk.usage !== null && chunk.prompt_filter_results === undefined;
  } catch {
    return false;
  }
};

/**
 * Removes the usage-only event from a chat completion stream. Detour asks providers for usage so it can price a
 * stream; a caller who did not ask for it must not receive the extra event (code that reads `choices[0]` of every
 * chunk would break on it). Events are cut at their blank-line boundary, so an event split across chunks is held
 * back until it is whole.
 */
export const createUsageChunkFilter = (): ChunkFilter => {
  // Bytes must pass unchanged: keep a byte order mark rather than strip it.
  const decoder = createUtf8StreamDecoder();
  let pending = '';
  // The last characters held: a boundary can straddle them and the next read.
  let tail = '';
  let removed = false;
  const emit = (text: string) => (text === '' ? undefined : encoder.encode(text));
  return {
    push(chunk) {
      // Search only what is new (plus the 3 characters a boundary can straddle): a large event arriving in many
      // small reads is not rescanned from its start each time. While no boundary comes, the read is appended and
      // nothing of what is held is touched: a search (or a slice) of it would copy it whole on every read, which
      // made an 8 MiB event cost 27 s of a Worker's CPU.
      const text = decoder.decode(chunk);
      if (pending !== '' && !eventBoundary.test(tail + text)) {
        pending += text;
        tail = (tail + text).slice(-3);
        return undefined;
      }
      let from = Math.max(0, pending.length - 3);
      pending += text;
      let output = '';
      for (;;) {
        const match = eventBoundary.exec(pending.slice(from));
        if (!match) break;
        const end = from + match.index + match[0].length;
        const event = pending.slice(0, end);
        pending = pending.slice(end);
        from = 0;
        // Only the one usage event Detour asked for is removed.
        if (!removed && isUsageOnly(event)) removed = true;
        else output += event;
      }
      tail = pending.slice(-3);
      return emit(output);
    },
    flush() {
      const rest = pending + decoder.flush();
      pending = '';
      tail = '';
      return emit(!removed && isUsageOnly(rest) ? '' : rest);
    },
  };
};
