import { DetourError } from '../errors/detour-error';
import { readStreamLimited } from './read-stream-limited';

/** What a caller's fetch body became: bytes or text, read once, plus the content type a form or blob implies. */
export interface BufferedBody {
  readonly body: string | Uint8Array | undefined;
  readonly contentType: string | undefined;
}

const tooLarge = (limit: number) =>
  new DetourError('request_too_large', { message: `The request body exceeds the ${limit}-byte limit.` });

/**
 * Reads a fetch body once, so every attempt can replay it and none re-reads a consumed stream. Strings and byte
 * arrays are taken as they are; forms, blobs and streams are read through a Web `Request`, which also supplies the
 * multipart boundary, and stop at `limit` bytes.
 */
export const readRequestBody = async (body: BodyInit | null | undefined, limit: number): Promise<BufferedBody> => {
  if (body === undefined || body === null) return { body: undefined, contentType: undefined };
  if (typeof body === 'string') {
    // A character is up to 3 UTF-8 bytes: only a long string needs its bytes counted.
    if (body.length * 3 > limit && new TextEncoder().encode(body).byteLength > limit) throw tooLarge(limit);
    return { body, contentType: undefined };
  }
  if (body instanceof Uint8Array || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    if (bytes.byteLength > limit) throw tooLarge(limit);
    return { body: bytes, contentType: undefined };
  }
  const wrapped = new Request('http://body.invalid/', { method: 'POST', body, duplex: 'half' } as RequestInit);
  const bytes = await readStreamLimited(wrapped.body, limit);
  if (!bytes) throw tooLarge(limit);
  return { body: bytes, contentType: wrapped.headers.get('content-type') ?? undefined };
};
