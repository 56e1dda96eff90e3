import type { Scrub } from './secret-scrubber';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Bytes relayed to a caller with the endpoints' keys taken out: the same bytes (no copy) when their text holds
 * none, as nearly every answer's does. `text` is the bytes decoded, when the caller has it already (a JSON answer
 * read for its parse).
 */
export const scrubbedBytes = (bytes: Uint8Array, scrub: Scrub, text: string = decoder.decode(bytes)): Uint8Array => {
  const clean = scrub(text);
  return clean === text ? bytes : encoder.encode(clean);
};
