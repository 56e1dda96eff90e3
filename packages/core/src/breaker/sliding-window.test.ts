import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordInWindow, type SlidingWindow } from './sliding-window';

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
});
