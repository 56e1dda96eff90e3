import { Buffer } from 'node:buffer';
import type { TransportResponse } from '@detour/core';

/** The header fields as undici hands them to a dispatch handler: name, value, name, value, … as bytes (or text). */
export type RawHeaders = readonly (Uint8Array | string | readonly (Uint8Array | string)[])[];

type HeaderRecord = Record<string, string | string[]>;

/** A header name as the record keys it: the lower-case name, and its bit for finding repeats in one answer. */
interface KnownName {
  /** The spelling on the wire it was found by. */
  readonly spelled: string;
  readonly name: string;
  /** The bit that marks the name seen in one answer; 0 past the 32nd name (every spelling of a name has its bit). */
  readonly bit: number;
}

/**
 * Header names met before, by their spelling on the wire. An upstream sends the same dozen or two names in every
 * answer: a known one is found with one hash of the decoded text instead of lower-casing it, and the record gets the
 * same string for a name each time (a fresh key costs V8 a trip to its string table on every store). Capped: an
 * upstream that invents names gets them lower-cased, not remembered.
 *
 * Matching the raw bytes in JavaScript instead, without decoding known names, cost more: V8 spent some 45
 * instructions per byte of a name hashing and comparing it, over 1.5 thousand per name.
 */
const knownNames = new Map<string, KnownName>();
const bitsByName = new Map<string, number>();
const knownNamesCap = 512;

const nameOf = (spelled: string): KnownName => {
  let known = knownNames.get(spelled);
  if (known === undefined) {
    const name = spelled.toLowerCase();
    let bit = bitsByName.get(name);
    if (bit === undefined) {
      bit = bitsByName.size < 32 ? 1 << bitsByName.size : 0;
      if (bitsByName.size < knownNamesCap) bitsByName.set(name, bit);
    }
    known = { spelled, name, bit };
    if (knownNames.size < knownNamesCap) knownNames.set(spelled, known);
  }
  return known;
};

/**
 * The last answer's names by position. An upstream sends its fields in the same order every time, so a field's name
 * is first compared with the name in its place last time: one comparison of two short texts, where finding it in
 * `knownNames` hashes the fresh text (some 470 instructions a name on Node 20, 14 names an answer). Answers of
 * upstreams that order their fields differently take turns here and fall back to the map.
 */
const lastOrder: (KnownName | undefined)[] = new Array<KnownName | undefined>(64).fill(undefined);

const nameAt = (position: number, spelled: string): KnownName => {
  const last = position < lastOrder.length ? lastOrder[position] : undefined;
  if (last !== undefined && last.spelled === spelled) return last;
  const known = nameOf(spelled);
  if (position < lastOrder.length) lastOrder[position] = known;
  return known;
};

/** Node's own Latin-1 decoder of a buffer, which `toString('latin1')` calls after reading its length and offset. */
interface NodeBuffer extends Uint8Array {
  latin1Slice(): string;
}

/**
 * One field's text. A `Buffer` (what undici's parser hands over) is decoded by one call into Node: its `toString`
 * would first read the view's length and offset through getters that V8 on Node 20 does not inline (each a generic
 * property lookup of some 170 instructions). Calling the decoder held in a constant (`latin1Slice.call(field)`)
 * cost more: V8 made that a generic call, some 920 instructions a field against 740 for looking the method up and
 * calling it. A field that is text, a list, or bytes of another kind is decoded as undici's parser does.
 */
const textOf = (field: RawHeaders[number]): string | string[] => {
  if (typeof field === 'string') return field;
  if (field instanceof Buffer) return (field as unknown as NodeBuffer).latin1Slice();
  if (Array.isArray(field)) return field.map((item) => textOf(item) as string);
  const bytes = field as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
};

const setField = (record: HeaderRecord, name: string, value: string | string[]): void => {
  if (name === '__proto__') Object.defineProperty(record, name, { value, enumerable: true, configurable: true, writable: true });
  else record[name] = value;
};

/**
 * An answer's header fields as the record core reads (`TransportResponse.headers`): names lower case, values
 * decoded as Latin-1, a repeated field's values in an array in the order they came, `__proto__` an ordinary field.
 * What undici's `request()` makes with its `parseHeaders`, for less: that one spent some 45 thousand instructions
 * an answer of 14 fields (a tenth of a gateway request) in `toString` per name and value, a search of its table of
 * well-known names and lower-casing for the rest, and a megamorphic lookup per name to find repeats. Here each field
 * is one call into Node, a known name one comparison with the name in its place in the last answer (else one map
 * lookup), and repeats are found by a bit per name.
 */
export const headerRecord = (raw: RawHeaders): TransportResponse['headers'] => {
  const record: HeaderRecord = {};
  let seen = 0;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const field = raw[index]!;
    const spelled = textOf(field);
    // A name is never a list on the wire; one in a hand-made list reads as its text.
    const { name, bit } = nameAt(index >> 1, typeof spelled === 'string' ? spelled : String(spelled));
    const value = textOf(raw[index + 1]!);
    const repeated = bit === 0 ? Object.hasOwn(record, name) : (seen & bit) !== 0;
    seen |= bit;
    if (!repeated) {
      setField(record, name, value);
      continue;
    }
    const earlier = record[name]!;
    const list = typeof earlier === 'string' ? [earlier] : earlier;
    if (typeof value === 'string') list.push(value);
    else list.push(...value);
    if (typeof earlier === 'string') setField(record, name, list);
  }
  return record;
};
