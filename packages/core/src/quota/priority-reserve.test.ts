import { describe, expect, it } from 'vitest';
import { priorityReserveMs, reserveAt, reserveSteps, reserveUnits } from './priority-reserve';
import { createQuotaTracker } from './quota-tracker';

const oneRequest = { requests: 1, inputTokens: 0, outputTokens: 0 };

describe('priority reserve', () => {
  it('keeps a low request above a normal one and ages it down to a normal one at half its window, never below', () => {
    const steps = reserveSteps('low', 1000, 5000);
    expect(steps).toEqual([{ from: 1000, reserveMs: priorityReserveMs.low }, { from: 3000, reserveMs: priorityReserveMs.normal }]);
    expect(reserveAt(steps, 2999)).toBe(priorityReserveMs.low);
    expect(reserveAt(steps, 10_000)).toBe(priorityReserveMs.normal);
    expect(reserveSteps('normal', 0, 5000)).toEqual([{ from: 0, reserveMs: priorityReserveMs.normal }]);
    expect(reserveSteps('high', 0, 5000)).toEqual([{ from: 0, reserveMs: 0 }]);
  });

  it('sizes a reserve from the refill, capped at a quarter of the capacity', () => {
    expect(reserveUnits(0.01, 600, 1000)).toBe(10);
    expect(reserveUnits(0.01, 20, 1000)).toBe(5);
    expect(reserveUnits(0, 600, 1000)).toBe(0);
    // Whole units: a sixth of a request protects no one and would cost one.
    expect(reserveUnits(10 / 60_000, 10, 1000)).toBe(0);
  });

  it('makes a lower class wait for its reserve on the model and in the plan, a high one not', () => {
    // 600 requests a minute (10 a second), 15 left.
    const tracker = createQuotaTracker({ limits: new Map([['a', { rpm: 600 }]]) });
    tracker.reserve('a', undefined, { requests: 585, inputTokens: 0, outputTokens: 0 }, 0);
    expect(tracker.waitMs('a', undefined, oneRequest, 0)).toBe(0);
    expect(tracker.waitMs('a', undefined, oneRequest, 0, priorityReserveMs.normal)).toBe(0);
    // A low request leaves 20 (two seconds of refill): it needs 21, 6 more, 600 ms away.
    expect(tracker.waitMs('a', undefined, oneRequest, 0, priorityReserveMs.low)).toBe(600);
    // Planned at its own reserve, or at a normal one's once it has aged (at 100 ms, when 16 ≥ 1 + 10 are there).
    expect(tracker.forecast().admit([{ endpoint: 'a', model: undefined }], oneRequest, 0, reserveSteps('low', 0, 200))).toBe(100);
    expect(tracker.forecast().admit([{ endpoint: 'a', model: undefined }], oneRequest, 0, reserveSteps('low', 0, 2000))).toBe(600);
    const aged = tracker.forecast();
    aged.admit([{ endpoint: 'a', model: undefined }], { requests: 10, inputTokens: 0, outputTokens: 0 }, 0);
    // 5 left: a low request aged at 100 ms to the normal reserve (10) needs 11: 600 ms; at its own (20) 1600 ms.
    expect(aged.admit([{ endpoint: 'a', model: undefined }], oneRequest, 0, reserveSteps('low', 0, 200))).toBe(600);
    expect(tracker.forecast().admit([{ endpoint: 'a', model: undefined }], oneRequest, 0, reserveSteps('high', 0, 200))).toBe(0);
  });
});
