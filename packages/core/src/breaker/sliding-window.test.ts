import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordInWindow, turnSuccessToFailure, windowTotals, type SlidingWindow } from './sliding-window';

// The rule, written as plainly as it reads: drop what slid out, bump the current bucket (made if missing), keep it last.
const reference = (window: SlidingWindow, now: number, failed: boolean, windowMs: number, bucketCount: number): SlidingWindow => {
  const bucketMs = Math.max(1, Math.floor(windowMs / bucketCount));
  const start = now - (now % bucketMs);
  const kept = window.filter((bucket) => bucket.start > now - windowMs && bucket.start !== start);
  const current = window.find((bucket) => bucket.start === start) ?? { start, failures: 0, total: 0 };
  return [...kept, { start, failures: current.failures + (failed ? 1 : 0), total: current.total + 1 }];
};

describe('sliding window', () => {
  it('records an outcome exactly as the rule says, over any history of outcomes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 20_000 }), failed: fc.boolean() }), { maxLength: 60 }),
        (windowMs, bucketCount, outcomes) => {
          let ours: SlidingWindow = [];
          let theirs: SlidingWindow = [];
          let now = 1_000_000;
          for (const { gapMs, failed } of outcomes) {
            now += gapMs;
            ours = recordInWindow(ours, now, failed, windowMs, bucketCount);
            theirs = reference(theirs, now, failed, windowMs, bucketCount);
            expect(ours).toEqual(theirs);
          }
        },
      ),
    );
  });

  it('turns a success in the bucket that holds its time into a failure, leaving the total; not once that bucket slid out', () => {
    // 30 s in 10 buckets of 3 s: a success at 1 s (bucket 0), a failure at 4 s (bucket 3000).
    let window = recordInWindow([], 1000, false, 30_000, 10);
    window = recordInWindow(window, 4000, true, 30_000, 10);
    const turned = turnSuccessToFailure(window, 1000, 20_000, 30_000, 10)!;
    expect(windowTotals(turned, 20_000, 30_000)).toEqual({ failures: 2, total: 2 });
    expect(turned[0]).toEqual({ start: 0, failures: 1, total: 1 });
    // No success left in that bucket to turn; and at 30 s the bucket of 0–3 s has slid out.
    expect(turnSuccessToFailure(turned, 1000, 20_000, 30_000, 10)).toBeUndefined();
    expect(turnSuccessToFailure(window, 1000, 30_000, 30_000, 10)).toBeUndefined();
  });
});
