import { concatBytes } from '../engine/concat-bytes';

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
