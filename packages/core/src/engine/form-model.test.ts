import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formModelOf, withFormModel } from './form-model';

const encoder = new TextEncoder();
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};
const boundary = 'formdata-boundary-7MA4YWxkTrZu0gW';
const type = `multipart/form-data; boundary=${boundary}`;
const field = (name: string, value: Uint8Array, filename?: string) => concat(
  encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n`),
  value,
  encoder.encode('\r\n'),
);
const closing = encoder.encode(`--${boundary}--\r\n`);

describe('a form\'s model', () => {
  it('is found wherever it sits among file parts of any bytes, and renaming it changes no other byte', () => {
    fc.assert(fc.property(
      fc.array(fc.uint8Array({ maxLength: 512 }), { maxLength: 4 }),
      fc.nat(4),
      fc.stringMatching(/^[\w.:/-]{1,64}$/),
      fc.stringMatching(/^[\w.:/-]{1,64}$/),
      (files, place, model, renamed) => {
        const parts = files.map((bytes, index) => field(`file${index}`, bytes, `f${index}.bin`));
        parts.splice(Math.min(place, parts.length), 0, field('model', encoder.encode(model)));
        const body = concat(...parts, closing);
        const found = formModelOf(body, type);
        expect(found?.model).toBe(model);
        const out = withFormModel(body, found!, renamed);
        expect(formModelOf(out, type)?.model).toBe(renamed);
        expect(concat(out.subarray(0, found!.start), encoder.encode(model), out.subarray(found!.start + encoder.encode(renamed).length))).toEqual(body);
      },
    ));
  });

  it('is not read from a body another type, a file named model, an unclosed form, or a value that is not UTF-8', () => {
    const body = concat(field('model', encoder.encode('whisper-1')), closing);
    expect(formModelOf(body, 'application/octet-stream')).toBeUndefined();
    expect(formModelOf(body, 'multipart/form-data')).toBeUndefined();
    expect(formModelOf(body, 'multipart/form-data; boundary="other"')).toBeUndefined();
    expect(formModelOf(concat(field('model', encoder.encode('m'), 'model.txt'), closing), type)).toBeUndefined();
    expect(formModelOf(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1`), type)).toBeUndefined();
    expect(formModelOf(concat(field('model', new Uint8Array([0xff, 0xfe])), closing), type)).toBeUndefined();
    // Two model fields: the upstream may read the other one (the review of attack 20).
    expect(formModelOf(concat(field('model', encoder.encode('cheap')), field('model', encoder.encode('expensive')), closing), type)).toBeUndefined();
    // The boundary's text inside a file's data, not followed by a line break, is data: the second part still counts.
    const planted = encoder.encode(`x\r\n--${boundary}EXTRA\r\nContent-Disposition: form-data; name="model"\r\n\r\ncheap`);
    expect(formModelOf(concat(field('file', planted, 'a.mp3'), field('model', encoder.encode('expensive')), closing), type)?.model).toBe('expensive');
    // A value in another encoding is not the name.
    const encoded = (header: string) => concat(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n${header}\r\n\r\nY2hlYXA=\r\n`), closing);
    expect(formModelOf(encoded('Content-Transfer-Encoding: base64'), type)).toBeUndefined();
    expect(formModelOf(encoded('Content-Type: text/plain; charset=utf-16le'), type)).toBeUndefined();
    expect(formModelOf(encoded('Content-Type: text/plain; charset=UTF-8'), type)?.model).toBe('Y2hlYXA=');
    // A quoted boundary, a preamble before the first part.
    expect(formModelOf(concat(encoder.encode('preamble\r\n'), body), `multipart/form-data; boundary="${boundary}"`)?.model).toBe('whisper-1');
  });
});
