/**
 * `chunk` preceded by the bytes a stream reader held back from the chunk before (a cut character, a cut line): the
 * chunk itself, not a copy, when nothing is held.
 */
export const afterHeld = (held: Uint8Array | undefined, chunk: Uint8Array): Uint8Array => {
  if (!held) return chunk;
  const bytes = new Uint8Array(held.length + chunk.length);
  bytes.set(held);
  bytes.set(chunk, held.length);
  return bytes;
};
