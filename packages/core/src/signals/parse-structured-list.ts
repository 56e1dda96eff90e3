/** A bare item of an RFC 9651 structured field. Byte sequences keep their base64 text. */
export type StructuredValue = number | string | boolean;

/** One list member: its item and its parameters. */
export interface StructuredItem {
  readonly value: StructuredValue;
  readonly params: Readonly<Record<string, StructuredValue>>;
}

class Malformed extends Error {}

/**
 * Parses an RFC 9651 List of items with parameters, as the IETF `RateLimit` and `RateLimit-Policy` fields are.
 * Any syntax error makes the whole field undefined: the draft says to ignore malformed fields, never to read them
 * as exhausted. Inner lists are not used by these fields and count as malformed.
 *
 * One function of about 100 lines on purpose: a single-pass scanner over one cursor, with the grammar's productions
 * (item, bare item, parameters, key) as inner functions sharing it. Split into modules they would pass the cursor
 * around and the RFC's grammar would no longer read top to bottom.
 */
export const parseStructuredList = (field: string): StructuredItem[] | undefined => {
  const text = field;
  let index = 0;
  const peek = () => text[index];
  const skipSpaces = (optionalWhitespace: boolean) => {
    while (text[index] === ' ' || (optionalWhitespace && text[index] === '\t')) index += 1;
  };

  const parseKey = (): string => {
    const match = /^[a-z*][a-z0-9_\-.*]*/.exec(text.slice(index));
    if (!match) throw new Malformed();
    index += match[0].length;
    return match[0];
  };

  const parseBareItem = (): StructuredValue => {
    const rest = text.slice(index);
    const char = peek();
    if (char === '"') {
      let value = '';
      index += 1;
      for (;;) {
        const next = text[index];
        if (next === undefined) throw new Malformed();
        index += 1;
        if (next === '"') return value;
        if (next === '\\') {
          const escaped = text[index];
          if (escaped !== '"' && escaped !== '\\') throw new Malformed();
          value += escaped;
          index += 1;
        } else if (next < ' ' || next > '~') {
          throw new Malformed();
        } else {
          value += next;
        }
      }
    }
    if (char === '?') {
      if (rest.startsWith('?1')) return (index += 2), true;
      if (rest.startsWith('?0')) return (index += 2), false;
      throw new Malformed();
    }
    if (char === ':') {
      const match = /^:([A-Za-z0-9+/=]*):/.exec(rest);
      if (!match) throw new Malformed();
      index += match[0].length;
      return match[1]!;
    }
    const number = /^-?\d{1,15}(?:\.\d{1,3})?/.exec(rest);
    if (number) {
      index += number[0].length;
      return Number(number[0]);
    }
    const token = /^[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*/.exec(rest);
    if (token) {
      index += token[0].length;
      return token[0];
    }
    throw new Malformed();
  };

  const parseParams = (): Record<string, StructuredValue> => {
    const params: Record<string, StructuredValue> = {};
    while (peek() === ';') {
      index += 1;
      skipSpaces(false);
      const key = parseKey();
      let value: StructuredValue = true;
      if (peek() === '=') {
        index += 1;
        value = parseBareItem();
      }
      params[key] = value;
    }
    return params;
  };

  try {
    const items: StructuredItem[] = [];
    skipSpaces(false);
    if (index === text.length) return items;
    for (;;) {
      const value = parseBareItem();
      items.push({ value, params: parseParams() });
      skipSpaces(true);
      if (index === text.length) return items;
      if (peek() !== ',') throw new Malformed();
      index += 1;
      skipSpaces(true);
      if (index === text.length) throw new Malformed();
    }
  } catch (error) {
    if (error instanceof Malformed) return undefined;
    throw error;
  }
};
