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
});
