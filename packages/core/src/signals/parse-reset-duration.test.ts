import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProtoDuration, parseResetDuration } from './parse-reset-duration';

describe('parseResetDuration', () => {
  it.each([
    ['6m0s', 360_000],
    ['1s', 1000],
    ['1.5s', 1500],
    ['20ms', 20],
    ['12ms', 12],
    ['2m59.56s', 179_560],
    ['7.66s', 7660],
    ['1h2m3s', 3_723_000],
    ['300us', 1],
    ['0', 0],
    ['0s', 0],
    ['.5s', 500],
  ])('reads %j as %d ms', (value, expected) => {
    expect(parseResetDuration(value)).toBe(expected);
  });

  it('reads the micro sign as microseconds', () => {
    expect(parseResetDuration('300\u00b5s')).toBe(1);
    expect(parseResetDuration('1500\u03bcs')).toBe(2);
  });

  it.each(['', '5', 's', '5x', '-1s', '1s ago', '1d', 'in 1s'])('rejects %j', (value) => {
    expect(parseResetDuration(value)).toBeUndefined();
  });

  it('reads exactly what the Go duration grammar says (the scan against the regular expression it replaced)', () => {
    const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, '\u00b5s': 1e-3, '\u03bcs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    const whole = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$/;
    const reference = (value: string): number | undefined => {
      const text = value.trim();
      if (text === '0') return 0;
      if (!whole.test(text)) return undefined;
      let total = 0;
      for (const match of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g)) total += Number(match[1]) * unitMs[match[2]!]!;
      const delayMs = Math.ceil(total);
      return Number.isFinite(delayMs) ? delayMs : undefined;
    };
    const pieces = fc.constantFrom('0', '1', '12', '7.', '.5', '2.25', '.', '', 'ns', 'us', '\u00b5s', '\u03bcs', 'ms', 's', 'm', 'h', 'n', 'u', ' ', '-', 'x', '\u00b5', '9'.repeat(400));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join(''))), (value) => {
        expect(parseResetDuration(value)).toBe(reference(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws and never returns a negative, NaN or infinite delay', () => {
    const goLike = fc.array(fc.tuple(fc.float({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom('ns', 'us', 'ms', 's', 'm', 'h')), { maxLength: 4 })
      .map((parts) => parts.map(([amount, unit]) => `${amount}${unit}`).join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), goLike), (value) => {
        const delay = parseResetDuration(value);
        return delay === undefined || (Number.isFinite(delay) && delay >= 0);
      }),
    );
  });
});

describe('parseProtoDuration', () => {
  it('reads Gemini retryDelay values', () => {
    expect(parseProtoDuration('46s')).toBe(46_000);
    expect(parseProtoDuration('12.771204034s')).toBe(12_772);
    expect(parseProtoDuration('46')).toBeUndefined();
    expect(parseProtoDuration(46)).toBeUndefined();
  });
});
