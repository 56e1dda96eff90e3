/** Joins chunks into one buffer of `size` bytes (the chunk itself when there is only one). */
export const concatBytes = (chunks: readonly Uint8Array[], size: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
};

/**
 * Reads a Web stream whole, giving up (and cancelling it, so an upload stops) as soon as it passes `limit` bytes:
 * undefined then. A missing stream reads as empty.
 */
export const readStreamLimited = async (stream: ReadableStream<Uint8Array> | null | undefined, limit: number): Promise<Uint8Array | undefined> => {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return concatBytes(chunks, size);
};
