import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('starts full and refuses once drained', () => {
    const bucket = new TokenBucket(3, () => 0);
    expect([bucket.tryTake(1), bucket.tryTake(1), bucket.tryTake(1), bucket.tryTake(1)]).toEqual([true, true, true, false]);
  });

  it('refills continuously at its per-minute rate and never beyond capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(60, () => now);
    bucket.tryTake(60);
    now = 1_000;
    expect(bucket.available()).toBeCloseTo(1);
    now = 10 * 60_000;
    expect(bucket.available()).toBe(60);
  });

  it('tells how long until an amount, and until full, will be available', () => {
    let now = 0;
    const bucket = new TokenBucket(60, () => now);
    bucket.tryTake(60);
    expect(bucket.msUntilAvailable(1)).toBe(1_000);
    expect(bucket.msUntilFull()).toBe(60_000);
    now = 1_000;
    expect(bucket.msUntilAvailable(1)).toBe(0);
  });

  it('leaves the bucket untouched when a take is refused', () => {
    const bucket = new TokenBucket(10, () => 0);
    expect(bucket.tryTake(11)).toBe(false);
    expect(bucket.available()).toBe(10);
  });

  it('never holds less than zero or more than its capacity, whatever the takes and the waits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.tuple(fc.nat(120_000), fc.nat(20_000)), { maxLength: 50 }),
        (perMinute, steps) => {
          let now = 0;
          const bucket = new TokenBucket(perMinute, () => now);
          for (const [waitMs, amount] of steps) {
            now += waitMs;
            bucket.tryTake(amount);
            const level = bucket.available();
            expect(level).toBeGreaterThanOrEqual(0);
            expect(level).toBeLessThanOrEqual(perMinute);
          }
        },
      ),
    );
  });
});
