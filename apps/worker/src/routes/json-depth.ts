const quote = 0x22;
const backslash = 0x5c;
const openBracket = 0x5b;
const openBrace = 0x7b;
const closeBracket = 0x5d;
const closeBrace = 0x7d;

/**
 * Whether a JSON text nests arrays and objects deeper than `maxDepth`, without parsing it. `JSON.parse` of a 10 MB
 * text of nested brackets blocks the event loop for seconds (and later walks of the value can overflow the stack),
 * so the gateway refuses such a body before parsing it. String contents are skipped with `indexOf`, on the text
 * the parser then reads: `String.prototype.indexOf` is a builtin, where `Buffer.prototype.indexOf` on the bytes went
 * through Node's checks of its arguments for every string (for a 20 kB conversation of 34 messages, the gateway ran
 * 12 thousand more instructions per request). Invalid JSON is left for the parser to report; this only counts
 * brackets outside strings.
 */
export const exceedsJsonDepth = (text: string, maxDepth: number): boolean => {
  let depth = 0;
  const length = text.length;
  for (let index = 0; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === quote) {
      // Jump to the closing quote: one preceded by an even number of backslashes.
      for (;;) {
        const end = text.indexOf('"', index + 1);
        if (end === -1) return false;
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === backslash) slashes += 1;
        index = end;
        if (slashes % 2 === 0) break;
      }
    } else if (code === openBracket || code === openBrace) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === closeBracket || code === closeBrace) {
      depth -= 1;
    }
  }
  return false;
};
