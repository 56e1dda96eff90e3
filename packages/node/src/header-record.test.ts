import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerRecord, type RawHeaders } from './header-record';

// undici's own parser, the record `Dispatcher.request` hands over: the oracle `headerRecord` must agree with.
const { parseHeaders } = createRequire(import.meta.url)('undici/lib/core/util.js') as {
  parseHeaders: (raw: RawHeaders) => Record<string, string | string[]>;
};

/** A record's fields in order, with prototypes and property order as they are (`toEqual` would overlook both). */
const fields = (record: object) => ({ prototype: Object.getPrototypeOf(record), entries: Object.entries(record) });

/** Raw fields as undici's parser hands them over: slices of one chunk, the way they came over the wire. */
const slicesOfOneChunk = (pairs: readonly (readonly [string, string])[]): Buffer[] => {
  const chunk = Buffer.from(`HTTP/1.1 200 OK\r\n${pairs.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n{"ok":true}`, 'latin1');
  const raw: Buffer[] = [];
  let at = chunk.indexOf('\r\n') + 2;
  for (const [name, value] of pairs) {
    raw.push(chunk.subarray(at, at + name.length));
    at += name.length + 2;
    raw.push(chunk.subarray(at, at + value.length));
    at += value.length + 2;
  }
  return raw;
};

const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,24}$/);
// Names an upstream sends (in any case), names that are Object.prototype's, and invented ones.
const name = fc.oneof(
  fc.constantFrom('content-type', 'Content-Type', 'set-cookie', 'Set-Cookie', 'x-ratelimit-remaining-requests', 'retry-after', 'Date'),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'),
  token,
);
// Latin-1 text: what an HTTP field value may carry beyond ASCII.
const value = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 40 }).map((text) => text.trim());
const pairs = fc.array(fc.tuple(name, value), { maxLength: 30 });

describe('headerRecord', () => {
  it('makes the record undici makes, in order, repeats and all, from slices of one chunk', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const raw = slicesOfOneChunk(list);
        expect(fields(headerRecord(raw))).toEqual(fields(parseHeaders(raw)));
      }),
      { numRuns: 300 },
    );
  });

  it('makes the same record from fields that are separate buffers or text (a mock dispatcher, a header across reads)', () => {
    fc.assert(
      fc.property(pairs, fc.array(fc.boolean(), { maxLength: 60 }), (list, asText) => {
        const raw = list.flat().map((text, index) => (asText[index] ? text : Buffer.from(text, 'latin1')));
        expect(fields(headerRecord(raw))).toEqual(fields(parseHeaders(raw)));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes fields that are plain byte views into a larger buffer, not Buffers', () => {
    const chunk = Buffer.from('..Content-Type..t\u00e9xt/plain..X-Count..7..', 'latin1');
    const view = (from: number, to: number) => new Uint8Array(chunk.buffer, chunk.byteOffset + from, to - from);
    const record = headerRecord([view(2, 14), view(16, 26), view(28, 35), view(37, 38)]);
    expect(Object.entries(record)).toEqual([['content-type', 't\u00e9xt/plain'], ['x-count', '7']]);
  });

  it('keeps `__proto__` an ordinary field, never the record’s prototype', () => {
    const record = headerRecord(slicesOfOneChunk([['__proto__', 'polluted'], ['x', '1'], ['__proto__', 'again']]));
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.entries(record)).toEqual([['__proto__', ['polluted', 'again']], ['x', '1']]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('finds repeats of names past the 32 it marks with a bit, and of names past its cap on remembered names', () => {
    const invented = Array.from({ length: 600 }, (_, index) => [`X-Invented-${index}`, `${index}`] as const);
    const repeated = [...invented, ...invented.slice(-5)];
    const record = headerRecord(slicesOfOneChunk(repeated));
    expect(record['x-invented-599']).toEqual(['599', '599']);
    expect(record['x-invented-0']).toBe('0');
    expect(fields(record)).toEqual(fields(parseHeaders(slicesOfOneChunk(repeated))));
  });

  it('reads answers whose fields come in other orders and spellings one after another as each alone', () => {
    const answers: (readonly (readonly [string, string])[])[] = [
      [['Content-Type', 'application/json'], ['x-request-id', 'a'], ['Date', 'today']],
      [['x-request-id', 'b'], ['Content-Type', 'text/plain'], ['date', 'tomorrow']],
      [['content-type', 'text/html'], ['X-Request-Id', 'c'], ['X-Request-Id', 'd']],
      [['Content-Type', 'application/json'], ['x-request-id', 'e'], ['Date', 'today']],
    ];
    for (const answer of [...answers, ...answers.reverse()]) {
      const raw = slicesOfOneChunk(answer);
      expect(fields(headerRecord(raw))).toEqual(fields(parseHeaders(raw)));
    }
  });

  it("decodes a field of any size", () => {
    const raw = slicesOfOneChunk([['x-small', 'a'], ['x-large', 'b'.repeat(70 * 1024)], ['X-Small', 'c']]);
    expect(fields(headerRecord(raw))).toEqual(fields(parseHeaders(raw)));
  });
});
