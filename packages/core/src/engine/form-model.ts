/** Where a `multipart/form-data` body names its model: the name, and the bytes of its value. */
export interface FormModel {
  readonly model: string;
  /** The value's first byte in the body. */
  readonly start: number;
  /** One past the value's last byte. */
  readonly end: number;
}

const boundaryOf = /^\s*multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i;
// A part's headers, read as Latin-1: a form field named `model`, not a file.
const modelDisposition = /(?:^|\r\n)content-disposition:[ \t]*form-data[ \t]*;(?:[^\r\n]*;)?[ \t]*name="model"[ \t]*(?:;|\r\n|$)/i;
const fileDisposition = /(?:^|\r\n)content-disposition:[^\r\n]*;[ \t]*filename\*?=/i;
// A value in another encoding than the UTF-8 a form is sent in (RFC 7578 forbids `Content-Transfer-Encoding`): its
// bytes are not the name, so no name is read.
const otherEncoding = /(?:^|\r\n)(?:content-transfer-encoding:|content-type:[^\r\n]*charset=(?!"?(?:utf-8|us-ascii)"?(?:[ \t;]|$)))/i;
// A model name is short: a value longer than this is not read as one (the caller's bytes go as they came).
const maxValueBytes = 1024;
// A form with more parts is not searched further: bounded work on a hostile body.
const maxParts = 256;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Where a needle starts in `haystack` at or after `from`, or -1. */
type Search = (haystack: Uint8Array, from: number) => number;

/**
 * A search for `needle` by Horspool's method, its skip table made once: each step skips by the last byte of the
 * window, usually the needle's length. A scan for the needle's first byte (a delimiter's `\r`) made a 30 MB body of
 * `\r` bytes cost half a second on the request path; this costs about 12 ms (the review of attack 20).
 */
const searchFor = (needle: Uint8Array): Search => {
  const length = needle.length;
  const last = length - 1;
  const skip = new Uint8Array(256).fill(Math.min(length, 255));
  for (let index = 0; index < last; index += 1) skip[needle[index]!] = Math.min(last - index, 255);
  return (haystack, from) => {
    for (let at = from; at + length <= haystack.length; at += skip[haystack[at + last]!]!) {
      let index = last;
      while (index >= 0 && haystack[at + index] === needle[index]) index -= 1;
      if (index < 0) return at;
    }
    return -1;
  };
};

/** A delimiter line found: where it starts, where the part after it begins, and whether it closes the form. */
interface DelimiterLine {
  readonly at: number;
  readonly next: number;
  readonly closes: boolean;
}

/**
 * The delimiter of `length` bytes at `at`, if it is one: followed by `--` (the close) or by optional whitespace and a
 * line break (RFC 2046 §5.1.1). Followed by anything else, the boundary's text is a file's data, not a delimiter.
 */
const delimiterAt = (body: Uint8Array, at: number, length: number): DelimiterLine | undefined => {
  let after = at + length;
  if (body[after] === 45 && body[after + 1] === 45) return { at, next: after + 2, closes: true };
  while (body[after] === 32 || body[after] === 9) after += 1;
  return body[after] === 13 && body[after + 1] === 10 ? { at, next: after + 2, closes: false } : undefined;
};

/** The next delimiter line (`\r\n--boundary…`, `length` bytes, found by `find`) at or after `from`. */
const nextDelimiter = (body: Uint8Array, find: Search, length: number, from: number): DelimiterLine | undefined => {
  for (let at = find(body, from); at !== -1; at = find(body, at + 1)) {
    const line = delimiterAt(body, at, length);
    if (line) return line;
  }
  return undefined;
};

// The blank line that ends a part's headers.
const findBlankLine = searchFor(new Uint8Array([13, 10, 13, 10]));

/**
 * The `model` field of a `multipart/form-data` body (an audio transcription, an image edit), found by the boundary
 * its content type names: undefined when the body is no such form (or one that does not close), has no `model` field
 * or more than one (the upstream might read another than Detour routes by), or names it in bytes that are not UTF-8
 * or in another encoding. The openai SDK sends the file before the model, so the whole body may be scanned, once.
 * Routing and renaming read it as they read a JSON body's `model`: before, a form was sent to an endpoint that does
 * not serve its model, under the public name (attack 20, M3).
 */
export const formModelOf = (body: Uint8Array, contentType: string | undefined): FormModel | undefined => {
  const match = contentType === undefined ? null : boundaryOf.exec(contentType);
  if (!match) return undefined;
  const delimiter = encoder.encode(`\r\n--${match[1] ?? match[2]}`);
  // The first delimiter may open the body, without the line break before it.
  const findDelimiter = searchFor(delimiter);
  const dashBoundary = delimiter.subarray(2);
  const opens = dashBoundary.every((byte, index) => body[index] === byte);
  let line = (opens ? delimiterAt(body, 0, dashBoundary.length) : undefined) ?? nextDelimiter(body, findDelimiter, delimiter.length, 0);
  let found: FormModel | undefined;
  for (let part = 0; line && !line.closes; part += 1) {
    if (part === maxParts) return undefined;
    // The blank line that ends the part's headers; a part without headers starts with it.
    const headersEnd = findBlankLine(body, line.next - 2);
    if (headersEnd === -1) return undefined;
    const valueStart = headersEnd + 4;
    const following = nextDelimiter(body, findDelimiter, delimiter.length, valueStart);
    if (!following) return undefined;
    const headers = latin1.decode(body.subarray(line.next, Math.max(line.next, headersEnd)));
    if (modelDisposition.test(headers) && !fileDisposition.test(headers)) {
      // Two `model` fields: a server may read either. No model is read, and the bytes go as they came.
      if (found !== undefined || otherEncoding.test(headers) || following.at - valueStart > maxValueBytes) return undefined;
      try {
        found = { model: utf8.decode(body.subarray(valueStart, following.at)), start: valueStart, end: following.at };
      } catch {
        return undefined;
      }
    }
    line = following;
  }
  return line?.closes ? found : undefined;
};

/** The form with its model's value replaced by `model` (an endpoint's own name for it); every other byte as it was. */
export const withFormModel = (body: Uint8Array, { start, end }: FormModel, model: string): Uint8Array => {
  const value = encoder.encode(model);
  const renamed = new Uint8Array(body.length - (end - start) + value.length);
  renamed.set(body.subarray(0, start), 0);
  renamed.set(value, start);
  renamed.set(body.subarray(end), start + value.length);
  return renamed;
};
