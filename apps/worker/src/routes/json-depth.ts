const quote = 0x22;
const backslash = 0x5c;
const openBracket = 0x5b;
const openBrace = 0x7b;
const closeBracket = 0x5d;
const closeBrace = 0x7d;

/**
 * Whether a JSON text nests arrays and objects deeper than `maxDepth`, read from its UTF-8 bytes without parsing.
 * `JSON.parse` of a 10 MB text of nested brackets blocks the event loop for seconds (and later walks of the value
 * can overflow the stack), so the gateway refuses such a body before parsing it. String contents are skipped with
 * `indexOf`, which keeps the scan of an ordinary request (mostly message text) to a few microseconds. Invalid JSON
 * is left for the parser to report; this only counts brackets outside strings.
 */
export const exceedsJsonDepth = (bytes: Uint8Array, maxDepth: number): boolean => {
  let depth = 0;
  const length = bytes.length;
  for (let index = 0; index < length; index += 1) {
    const byte = bytes[index]!;
    if (byte === quote) {
      // Jump to the closing quote: one preceded by an even number of backslashes.
      for (;;) {
        const end = bytes.indexOf(quote, index + 1);
        if (end === -1) return false;
        let slashes = 0;
        while (bytes[end - 1 - slashes] === backslash) slashes += 1;
        index = end;
        if (slashes % 2 === 0) break;
      }
    } else if (byte === openBracket || byte === openBrace) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (byte === closeBracket || byte === closeBrace) {
      depth -= 1;
    }
  }
  return false;
};
