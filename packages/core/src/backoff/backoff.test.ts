import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponentialCeiling, initialBackoffState, jitterServerDelay, nextBackoff, type BackoffOptions } from './backoff';

const options = (jitter: BackoffOptions['jitter']): BackoffOptions => ({ jitter, baseMs: 100, multiplier: 2, capMs: 5000 });
const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const state = fc.record({ retries: fc.nat(80), previousMs: fc.nat(100_000) });

describe('nextBackoff', () => {
  it('grows the ceiling exponentially up to the cap', () => {
    expect([0, 1, 2, 3, 6, 10].map((retries) => exponentialCeiling(retries, options('full')))).toEqual([
      100, 200, 400, 800, 5000, 5000,
    ]);
  });

  it('draws full jitter uniformly below the ceiling', () => {
    expect(nextBackoff({ retries: 2, previousMs: 0 }, options('full'), () => 0.5)[0]).toBe(200);
    expect(nextBackoff({ retries: 2, previousMs: 0 }, options('full'), () => 0)[0]).toBe(0);
  });

  it('keeps equal jitter in the upper half of the ceiling', () => {
    expect(nextBackoff({ retries: 2, previousMs: 0 }, options('equal'), () => 0)[0]).toBe(200);
    expect(nextBackoff({ retries: 2, previousMs: 0 }, options('equal'), () => 0.999)[0]).toBe(399);
  });

  it('draws decorrelated jitter between the base and three times the previous delay', () => {
    const [first, afterFirst] = nextBackoff(initialBackoffState, options('decorrelated'), () => 0.5);
    expect(first).toBe(200); // uniform(100, 300) at 0.5
    expect(nextBackoff(afterFirst, options('decorrelated'), () => 1 - Number.EPSILON)[0]).toBe(599);
  });

  it('is deterministic under a fixed random source', () => {
    const run = () => {
      let current = initialBackoffState;
      const delays: number[] = [];
      let seed = 1;
      const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
      for (let index = 0; index < 6; index += 1) {
        const [delay, next] = nextBackoff(current, options('decorrelated'), random);
        delays.push(delay);
        current = next;
      }
      return delays;
    };
    expect(run()).toEqual(run());
  });

  it.each(['full', 'equal', 'decorrelated', 'none'] as const)(
    'never leaves [0, cap] with %s jitter, whatever the retry or the draw',
    (jitter) => {
      fc.assert(
        fc.property(state, draw, (current, value) => {
          const [delay, next] = nextBackoff(current, options(jitter), () => value);
          return Number.isInteger(delay) && delay >= 0 && delay <= 5000 && next.retries === current.retries + 1;
        }),
      );
    },
  );
});

describe('jitterServerDelay', () => {
  it('never shortens a server-directed delay and stretches it by at most half', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), draw, (delay, value) => {
        const jittered = jitterServerDelay(delay, () => value);
        return jittered >= delay && jittered <= Math.ceil(delay * 1.5);
      }),
    );
  });
});
