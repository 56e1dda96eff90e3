import { rejectOnAbort } from '../ports/abort-helpers';
import { concatBytes } from '../ports/bytes';

/** Raised when a body outgrows what may be buffered. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The response body exceeds ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a whole body into one buffer, up to `limit` bytes, failing as soon as `signal` aborts: a transport may be
 * slow to notice an abort mid-body, and a deadline must not wait for it.
 */
export const readBody = async (
  body: AsyncIterable<Uint8Array>, limit: number, signal: AbortSignal, { truncate = false } = {},
): Promise<Uint8Array> => {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const aborted = rejectOnAbort(signal);
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const result = await Promise.race([iterator.next(), aborted.promise]);
      if (result.done) break;
      const chunk = result.value;
      if (size + chunk.byteLength > limit) {
        if (!truncate) throw new BodyTooLargeError(limit);
        chunks.push(chunk.subarray(0, limit - size));
        size = limit;
        await iterator.return?.();
        break;
      }
      chunks.push(chunk);
      size += chunk.byteLength;
    }
  } finally {
    aborted.dispose();
  }
  return concatBytes(chunks, size);
};
