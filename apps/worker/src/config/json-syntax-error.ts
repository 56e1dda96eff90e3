// The words and place of a JSON syntax error, never the text: a config holds keys, and V8's message for an unquoted
// value quoted the ten characters either side of it.

// V8 names where most syntax errors are; the one that does not ("Unexpected token 's', "…" is not valid JSON")
// quotes the text around it instead, which in a config file is an unquoted key.
const positionSuffix = / (?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?/;

/** Where the text stops being JSON, from the error's position or, for errors that quote the text, by bisection. */
const errorPosition = (text: string, message: string): number => {
  const named = positionSuffix.exec(message);
  if (named) return Number(named[1]);
  // A prefix that ends before the mistake fails only at its end (or parses); one that includes it fails before.
  const failsInside = (length: number): boolean => {
    const prefix = text.slice(0, length);
    try {
      JSON.parse(prefix);
      return false;
    } catch (error) {
      const at = positionSuffix.exec((error as Error).message);
      return at ? Number(at[1]) < length : !(error as Error).message.startsWith('Unexpected end');
    }
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (failsInside(middle + 1)) high = middle;
    else low = middle + 1;
  }
  return low;
};

/** The syntax error in words and a place (`line 3, column 14`), never the file's text: it holds keys. */
export const describeJsonSyntaxError = (text: string, message: string): string => {
  const position = Math.min(errorPosition(text, message), text.length);
  const line = text.slice(0, position).split('\n').length;
  const column = position - text.lastIndexOf('\n', position - 1);
  // Every message but "Unexpected token" is words alone; that one quotes the text.
  const what = message.startsWith('Unexpected token') || message.includes('"') ? 'unexpected character' : message.replace(positionSuffix, '');
  return `not valid JSON at line ${line}, column ${column}: ${what}`;
};
