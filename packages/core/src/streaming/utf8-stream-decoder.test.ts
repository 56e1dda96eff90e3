import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUtf8StreamDecoder } from './utf8-stream-decoder';

// Bytes biased towards what breaks UTF-8 decoders: multi-byte characters, lone lead and continuation bytes,
// overlong and surrogate encodings, byte-order marks, invalid leads.
const byte = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(0x41, 0x0a, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0xa0, 0x9f, 0x8f, 0x90),
);
const text = fc.string({ unit: 'binary', maxLength: 12 }).map((value) => [...new TextEncoder().encode(value)]);
const bytes = fc.array(fc.oneof(text, fc.array(byte, { maxLength: 4 }), fc.constant([0xef, 0xbb, 0xbf])), { maxLength: 8 }).map((parts) => new Uint8Array(parts.flat()));

/** `all`, cut at `cuts` (sorted, deduplicated positions). */
const split = (all: Uint8Array, cuts: number[]): Uint8Array[] => {
  const points = [...new Set(cuts.map((cut) => cut % (all.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, all.length]) {
    chunks.push(all.slice(start, point));
    start = point;
  }
  return chunks;
};

describe('createUtf8StreamDecoder', () => {
  for (const stripBom of [false, true]) {
    it(`gives the text of the whole stream however the bytes are cut (stripBom: ${stripBom})`, () => {
      fc.assert(
        fc.property(bytes, fc.array(fc.nat(), { maxLength: 6 }), (all, cuts) => {
          const chunks = split(all, cuts);
          const decoder = createUtf8StreamDecoder({ stripBom });
          const actual = chunks.map((chunk) => decoder.decode(chunk)).join('') + decoder.flush();
          // The text of the whole stream, as the Encoding standard defines it, however it was cut.
          expect(actual).toBe(new TextDecoder('utf-8', { ignoreBOM: !stripBom }).decode(all));
          // A streaming TextDecoder agrees, except workerd's when stripping: it also drops a BOM that begins a
          // later chunk, which the standard (and Node) keep as text.
          if (!stripBom) {
            const reference = new TextDecoder('utf-8', { ignoreBOM: true });
            expect(actual).toBe(chunks.map((chunk) => reference.decode(chunk, { stream: true })).join('') + reference.decode());
          }
        }),
        { numRuns: 5000, seed: 18 },
      );
    });
  }

  it('holds a character cut by a chunk boundary until its last byte arrives', () => {
    const decoder = createUtf8StreamDecoder();
    const euro = new TextEncoder().encode('€');
    expect(decoder.decode(euro.subarray(0, 1))).toBe('');
    expect(decoder.decode(euro.subarray(1, 2))).toBe('');
    expect(decoder.decode(euro.subarray(2))).toBe('€');
    expect(decoder.flush()).toBe('');
  });

  it('ends a stream cut inside a character with a replacement character', () => {
    const decoder = createUtf8StreamDecoder();
    expect(decoder.decode(new Uint8Array([0x61, 0xe2, 0x82]))).toBe('a');
    expect(decoder.flush()).toBe('\ufffd');
  });

  it('strips a byte-order mark only at the start of the stream, and only when asked', () => {
    const bom = [0xef, 0xbb, 0xbf];
    const stripping = createUtf8StreamDecoder({ stripBom: true });
    expect(stripping.decode(new Uint8Array([...bom, 0x61]))).toBe('a');
    expect(stripping.decode(new Uint8Array([...bom, 0x62]))).toBe('\ufeffb');
    expect(createUtf8StreamDecoder().decode(new Uint8Array([...bom, 0x61]))).toBe('\ufeffa');
  });
});
