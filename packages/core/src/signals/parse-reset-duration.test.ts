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
