// Finding one member of a JSON object in its text, without parsing (and re-serialising) the rest.

const isSpace = (code: number): boolean => code === 32 || code === 9 || code === 10 || code === 13;

/**
 * Where the value of the last top-level member named `name` starts and ends in the text of a JSON object (the one a
 * parser reads, with escaped names read as a parser does), or undefined when there is none. For edits that must
 * leave every other byte as the caller sent it. The text must be valid JSON (one that `JSON.parse` read): the scan
 * tracks nesting and strings and checks nothing else.
 */
export const lastMemberValue = (text: string, name: string): [number, number] | undefined => {
  let depth = 0;
  // Where the value of the member being read starts (after its colon), and whether that member is `name`.
  let value = -1;
  let named = false;
  let found: [number, number] | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 34 /* " */) {
      let end = index + 1;
      while (end < text.length && text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 /* \ */ ? 2 : 1;
      if (depth === 1 && value < 0) {
        const key = text.slice(index, end + 1);
        named = (key.includes('\\') ? JSON.parse(key) : key.slice(1, -1)) === name;
      }
      index = end;
    } else if (code === 58 /* : */ && depth === 1) {
      value = index + 1;
    } else if (code === 123 || code === 91) {
      depth += 1;
    } else if ((code === 44 && depth === 1) || ((code === 125 || code === 93) && --depth === 0)) {
      if (named && value >= 0) {
        let start = value;
        let end = index;
        while (isSpace(text.charCodeAt(start))) start += 1;
        while (isSpace(text.charCodeAt(end - 1))) end -= 1;
        found = [start, end];
      }
      value = -1;
      named = false;
    }
  }
  return found;
};
