import { closedBreaker, type BreakerState } from '../breaker/breaker';
import { describe, expect, it } from 'vitest';
import { adoptSharedBreaker, mergeSharedBreaker, type SharedBreaker } from './shared-breaker';

const open = (generation: number, openUntil: number, trips = 1): SharedBreaker => ({ position: 'open', openUntil, generation, trips });
const closed = (generation: number): SharedBreaker => ({ position: 'closed', openUntil: 0, generation, trips: 0 });

describe('adopting the fleet breaker into a local one', () => {
  it('keeps the local half-open breaker and its probes when the fleet says nothing newer', () => {
    const local: BreakerState = { ...closedBreaker, position: 'half_open', generation: 3, openUntil: 1000, trips: 1, probes: [1000] };
    expect(adoptSharedBreaker(local, open(3, 1000))).toBe(local);
    expect(adoptSharedBreaker(local, closed(2))).toBe(local);
  });

  it('keeps local failure counts when only the generation of a closed breaker moves on', () => {
    const local: BreakerState = { ...closedBreaker, generation: 2, consecutiveFailures: 2 };
    expect(adoptSharedBreaker(local, closed(4))).toEqual({ ...local, generation: 4 });
  });

  it('opens a closed local breaker when the fleet opened it from the same generation or later', () => {
    const local: BreakerState = { ...closedBreaker, generation: 2, consecutiveFailures: 1 };
    expect(adoptSharedBreaker(local, open(2, 9000, 2))).toMatchObject({ position: 'open', generation: 2, openUntil: 9000, trips: 2, consecutiveFailures: 0 });
  });
});

describe('merging two reports of a breaker', () => {
  it('gives the same answer whichever report arrives first', () => {
    const reports = [open(1, 5000), open(2, 4000, 2), closed(2), closed(3), open(3, 7000)];
    for (const left of reports) {
      for (const right of reports) expect(mergeSharedBreaker(left, right)).toEqual(mergeSharedBreaker(right, left));
    }
  });
});
