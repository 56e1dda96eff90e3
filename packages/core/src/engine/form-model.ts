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
// A model name is short: a value longer than this is not read as one (the caller's bytes go as they came).
const maxValueBytes = 1024;
// A form with more parts is not searched further: bounded work on a hostile body.
const maxParts = 256;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Where `needle` starts in `haystack` at or after `from`, or -1: a native scan for its first byte, then the rest. */
const indexOfBytes = (haystack: Uint8Array, needle: Uint8Array, from: number): number => {
  const first = needle[0]!;
  const last = haystack.length - needle.length;
  for (let at = haystack.indexOf(first, from); at !== -1 && at <= last; at = haystack.indexOf(first, at + 1)) {
    let index = 1;
    while (index < needle.length && haystack[at + index] === needle[index]) index += 1;
    if (index === needle.length) return at;
  }
  return -1;
};

/**
 * The `model` field of a `multipart/form-data` body (an audio transcription, an image edit), found by the boundary
 * its content type names: undefined when the body is no such form, has no `model` field, or names it in bytes that
 * are not UTF-8. The openai SDK sends the file before the model, so the whole body may be scanned, natively, once.
 * Routing and renaming read it as they read a JSON body's `model`: before, a form was sent to an endpoint that does
 * not serve its model, under the public name (attack 20, M3).
 */
export const formModelOf = (body: Uint8Array, contentType: string | undefined): FormModel | undefined => {
  const match = contentType === undefined ? null : boundaryOf.exec(contentType);
  if (!match) return undefined;
  const delimiter = encoder.encode(`\r\n--${match[1] ?? match[2]}`);
  // The first delimiter may open the body without its line break.
  let at = indexOfBytes(body, delimiter.subarray(2), 0);
  if (at !== 0) at = indexOfBytes(body, delimiter, 0);
  else at = -2;
  for (let part = 0; at !== -1 && part < maxParts; part += 1) {
    const headersStart = at + delimiter.length;
    // `--` after a delimiter closes the form.
    if (body[headersStart] === 45 && body[headersStart + 1] === 45) return undefined;
    const headersEnd = indexOfBytes(body, crlfCrlf, headersStart);
    if (headersEnd === -1) return undefined;
    const next = indexOfBytes(body, delimiter, headersEnd + 4);
    if (next === -1) return undefined;
    const headers = latin1.decode(body.subarray(headersStart, headersEnd));
    if (modelDisposition.test(headers) && !fileDisposition.test(headers)) {
      const start = headersEnd + 4;
      if (next - start > maxValueBytes) return undefined;
      try {
        return { model: utf8.decode(body.subarray(start, next)), start, end: next };
      } catch {
        return undefined;
      }
    }
    at = next;
  }
  return undefined;
};

const crlfCrlf = new Uint8Array([13, 10, 13, 10]);

/** The form with its model's value replaced by `model` (an endpoint's own name for it); every other byte as it was. */
export const withFormModel = (body: Uint8Array, { start, end }: FormModel, model: string): Uint8Array => {
  const value = encoder.encode(model);
  const renamed = new Uint8Array(body.length - (end - start) + value.length);
  renamed.set(body.subarray(0, start), 0);
  renamed.set(value, start);
  renamed.set(body.subarray(end), start + value.length);
  return renamed;
};
