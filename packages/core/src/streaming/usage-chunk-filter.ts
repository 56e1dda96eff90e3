/** Rewrites an event stream chunk by chunk; `flush` returns what is left at the end. */
export interface ChunkFilter {
  push(chunk: Uint8Array): Uint8Array | undefined;
  flush(): Uint8Array | undefined;
}

const eventBoundary = /\r?\n\r?\n/;

// The usage-only chunk OpenAI sends last when `stream_options.include_usage` is set: no choices, just counts.
const isUsageOnly = (event: string) => event.includes('"usage"') && /"choices"\s*:\s*\[\s*\]/.test(event);

/**
 * Removes the usage-only event from a chat completion stream. Detour asks providers for usage so it can price a
 * stream; a caller who did not ask for it must not receive the extra event (code that reads `choices[0]` of every
 * chunk would break on it). Events are cut at their blank-line boundary, so an event split across chunks is held
 * back until it is whole.
 */
export const createUsageChunkFilter = (): ChunkFilter => {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  const emit = (text: string) => (text === '' ? undefined : encoder.encode(text));
  return {
    push(chunk) {
      pending += decoder.decode(chunk, { stream: true });
      let output = '';
      let match = eventBoundary.exec(pending);
      while (match) {
        const end = match.index + match[0].length;
        const event = pending.slice(0, end);
        pending = pending.slice(end);
        if (!isUsageOnly(event)) output += event;
        match = eventBoundary.exec(pending);
      }
      return emit(output);
    },
    flush() {
      const rest = pending + decoder.decode();
      pending = '';
      return emit(isUsageOnly(rest) ? '' : rest);
    },
  };
};
