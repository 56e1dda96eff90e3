import { describe, expect, it } from 'vitest';
import { formatGoDuration } from './go-duration';

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [6, '6ms'],
    [84, '84ms'],
    [1000, '1s'],
    [1146, '1.146s'],
    [1500, '1.5s'],
    [7660, '7.66s'],
    [179_560, '2m59.56s'],
    [360_000, '6m0s'],
    [3_600_000, '1h0m0s'],
  ])('prints %d ms as %s, the way Go formats a time.Duration', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  it('clamps negative durations to zero', () => {
    expect(formatGoDuration(-5)).toBe('0s');
  });
});
