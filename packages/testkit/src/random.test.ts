import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './random';

describe('createSeededRandom', () => {
  it('repeats the same draws for the same seed', () => {
    const first = createSeededRandom(42);
    const second = createSeededRandom(42);
    const draws = Array.from({ length: 20 }, () => first());
    expect(Array.from({ length: 20 }, () => second())).toEqual(draws);
  });

  it('draws different sequences for different seeds', () => {
    expect(createSeededRandom(1)()).not.toBe(createSeededRandom(2)());
  });

  it('stays within [0, 1)', () => {
    const random = createSeededRandom(7);
    for (let index = 0; index < 10_000; index += 1) {
      const draw = random();
      expect(draw).toBeGreaterThanOrEqual(0);
      expect(draw).toBeLessThan(1);
    }
  });
});
