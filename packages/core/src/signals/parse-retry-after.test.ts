import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, parseRetryAfterMs } from './parse-retry-after';

const now = Date.parse('Wed, 21 Oct 2015 07:27:30 GMT');

describe('parseRetryAfter', () => {
  it.each([
    ['20', 20_000],
    ['0', 0],
    ['  7 ', 7000],
    ['1.5', 1500],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 30_000],
    ['Wednesday, 21-Oct-15 07:28:00 GMT', 30_000],
    ['Wed Oct 21 07:28:00 2015', 30_000],
    ['Wed Oct  1 07:28:00 2015', 0],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
  ])('reads %j as %d ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each(['', '-5', 'soon', '5s', '1e3', 'Wed, 32 Oct 2015 07:28:00 GMT', 'Wed, 21 Oct 2015 25:28:00 GMT', '9'.repeat(400)])(
    'ignores the invalid value %j',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it('places rfc850 two-digit years no more than 50 years ahead', () => {
    const in2026 = Date.parse('2026-11-27T00:00:00Z');
    expect(parseRetryAfter('Friday, 27-Nov-26 00:00:10 GMT', in2026)).toBe(10_000);
    // "80" would be 2080, more than 50 years ahead: it means 1980, long past.
    expect(parseRetryAfter('Friday, 27-Nov-80 00:00:10 GMT', in2026)).toBe(0);
  });

  it('never throws and never returns a negative, NaN or infinite delay', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -1e15, max: 1e15 }), (value, at) => {
        const delay = parseRetryAfter(value, at);
        return delay === undefined || (Number.isFinite(delay) && delay >= 0);
      }),
    );
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true, min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z') }), (date) => {
        const delay = parseRetryAfter(date.toUTCString(), now);
        return delay !== undefined && delay >= 0;
      }),
    );
  });
});

describe('parseRetryAfterMs', () => {
  it('reads milliseconds and treats Azure\'s -1 as unknown', () => {
    expect(parseRetryAfterMs('2500')).toBe(2500);
    expect(parseRetryAfterMs('12.5')).toBe(13);
    expect(parseRetryAfterMs('-1')).toBeUndefined();
    expect(parseRetryAfterMs('abc')).toBeUndefined();
  });

  it('never throws and never returns a negative, NaN or infinite delay', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const delay = parseRetryAfterMs(value);
        return delay === undefined || (Number.isFinite(delay) && delay >= 0);
      }),
    );
  });
});
