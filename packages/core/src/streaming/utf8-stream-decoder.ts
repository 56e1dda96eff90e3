// Decodes a UTF-8 byte stream chunk by chunk, as `TextDecoder.decode(chunk, { stream: true })` does, without a
// TextDecoder of its own. A streaming TextDecoder holds a native converter (ICU's in Node): about 3.3 KiB of resident
// memory each, and a stream had two or three of them, so a gateway holding 1,000 streams spent ~7 MiB on them.
// Here a stream keeps at most the 3 bytes of a character cut by a chunk boundary, and every stream shares one
// non-streaming decoder: a non-streaming decode always ends in the decoder's initial state, so decoding whole
// characters chunk by chunk gives exactly the text (replacement characters included) of decoding the whole stream.

import { afterHeld } from './after-held';

/** A stream's decoder: `decode` each chunk in order, then `flush` once at the end. */
export interface Utf8StreamDecoder {
  /** The text of `chunk`, less a character cut at its end (kept for the next chunk). */
  decode(chunk: Uint8Array): string;
  /** The text of whatever cut character is left (a replacement character: the stream ended inside it). */
  flush(): string;
  /** Bytes of a character cut by the last chunk's end are held for the next one. */
  readonly holding: boolean;
}

// Keeps a byte-order mark: a BOM is stripped (or not) once, at the stream's start, never at each chunk's.
const shared = new TextDecoder('utf-8', { ignoreBOM: true });

/** How many bytes a sequence starting with `lead` has; 0 for a byte that cannot start one. */
const sequenceLength = (lead: number): number => (lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0);

/**
 * Where the character cut by the end of `bytes` starts, or `bytes.length` when none is: the last lead byte within
 * the last 3 bytes, if the bytes after it are fewer than its sequence needs. A sequence that is invalid anyway is
 * held too; decoded with the next chunk it gives the same replacement characters, one chunk later.
 */
const cutAt = (bytes: Uint8Array): number => {
  const end = bytes.length;
  for (let index = end - 1; index >= 0 && index >= end - 3; index -= 1) {
    const byte = bytes[index]!;
    if ((byte & 0xc0) === 0x80) continue;
    return sequenceLength(byte) > end - index ? index : end;
  }
  return end;
};

/**
 * A stream's decoding state. A class rather than closures over a scope: its methods live on the prototype, so a
 * stream pays for one small object, not an object, a scope and three closures (a gateway holds two per stream).
 */
class StreamDecoder implements Utf8StreamDecoder {
  private held: Uint8Array | undefined = undefined;

  constructor(private atStart: boolean) {}

  get holding(): boolean {
    return this.held !== undefined;
  }

  decode(chunk: Uint8Array): string {
    const bytes = afterHeld(this.held, chunk);
    this.held = undefined;
    const cut = cutAt(bytes);
    // A copy, not a view: a view would keep the whole chunk alive until the next one arrives.
    if (cut < bytes.length) this.held = bytes.slice(cut);
    return this.text(shared.decode(cut < bytes.length ? bytes.subarray(0, cut) : bytes));
  }

  flush(): string {
    const rest = this.held;
    this.held = undefined;
    return rest ? this.text(shared.decode(rest)) : '';
  }

  private text(decoded: string): string {
    if (!this.atStart || decoded.length === 0) return decoded;
    this.atStart = false;
    return decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  }
}

/**
 * A UTF-8 stream decoder. `stripBom`: drop a byte-order mark at the very start of the stream, as a default
 * `TextDecoder` does (off: keep it, as `{ ignoreBOM: true }` does).
 */
export const createUtf8StreamDecoder = ({ stripBom = false }: { readonly stripBom?: boolean } = {}): Utf8StreamDecoder => new StreamDecoder(stripBom);
