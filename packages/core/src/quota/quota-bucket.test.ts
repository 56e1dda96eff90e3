import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headroomAfter, levelAt, takeFrom, type QuotaBucket } from './quota-bucket';

const bucket = fc.record({
  capacity: fc.double({ min: 0, max: 1e7, noNaN: true }),
  level: fc.double({ min: -1e7, max: 1e7, noNaN: true }),
  ratePerMs: fc.double({ min: 0, max: 1e4, noNaN: true }),
  at: fc.integer({ min: 0, max: 1e9 }),
});

describe('headroomAfter', () => {
  it('is the share left in the bucket that takeFrom builds, clamped to [0, 1] (property)', () => {
    fc.assert(
      fc.property(bucket, fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 2e9 }), (start: QuotaBucket, amount, now) => {
        const taken = takeFrom(start, amount, now);
        const expected = start.capacity <= 0 ? 0 : Math.max(0, Math.min(1, levelAt(taken, now) / start.capacity));
        expect(headroomAfter(start, amount, now)).toBeCloseTo(expected, 12);
      }),
    );
  });

  it('keeps a bucket that stops at its reset', () => {
    const limited: QuotaBucket = { capacity: 10, level: 4, ratePerMs: 0, at: 0, until: 500 };
    expect(takeFrom(limited, 1, 100)).toEqual({ capacity: 10, level: 3, ratePerMs: 0, at: 100, until: 500 });
    expect(headroomAfter(limited, 1, 100)).toBeCloseTo(0.3, 12);
  });
});
