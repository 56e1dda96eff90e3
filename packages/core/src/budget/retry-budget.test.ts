import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depositRequest, emptyRetryBudget, retriesAvailable, spendRetry, type RetryBudgetState } from './retry-budget';

const options = { ratio: 0.2, minPerSecond: 1, ttlMs: 10_000 };

// The bookkeeping rule, written plainly: drop seconds past the ttl, bump the current second (made if missing), keep it last.
const referenceBump = (state: RetryBudgetState, now: number, field: 'requests' | 'retries'): RetryBudgetState => {
  const start = now - (now % 1000);
  const kept = state.buckets.filter((bucket) => bucket.start > now - options.ttlMs && bucket.start !== start);
  const current = state.buckets.find((bucket) => bucket.start === start) ?? { start, requests: 0, retries: 0 };
  return { buckets: [...kept, { ...current, [field]: current[field] + 1 }] };
};

describe('retry budget', () => {
  it('allows a floor of retries plus a share of requests', () => {
    let state: RetryBudgetState = emptyRetryBudget;
    expect(retriesAvailable(state, 0, options)).toBe(10);
    for (let index = 0; index < 50; index += 1) state = depositRequest(state, index, options);
    expect(retriesAvailable(state, 50, options)).toBe(20);
  });

  it('refuses retries once spent, and earns them back as requests arrive', () => {
    let state: RetryBudgetState = emptyRetryBudget;
    for (let index = 0; index < 10; index += 1) state = spendRetry(state, 0, options).state;
    expect(spendRetry(state, 0, options).allowed).toBe(false);
    for (let index = 0; index < 5; index += 1) state = depositRequest(state, 0, options);
    expect(spendRetry(state, 0, options).allowed).toBe(true);
  });

  it('lets deposits and withdrawals expire after the window', () => {
    let state: RetryBudgetState = emptyRetryBudget;
    for (let index = 0; index < 10; index += 1) state = spendRetry(state, 0, options).state;
    expect(retriesAvailable(state, 10_001, options)).toBe(10);
  });

  it('never goes negative and never allows more retries than floor + ratio x requests', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(500)), { maxLength: 300 }), (steps) => {
        let state: RetryBudgetState = emptyRetryBudget;
        let now = 0;
        const log: { at: number; retry: boolean }[] = [];
        for (const [isRetry, advance] of steps) {
          now += advance;
          if (isRetry) {
            const result = spendRetry(state, now, options);
            state = result.state;
            if (result.allowed) log.push({ at: now, retry: true });
          } else {
            state = depositRequest(state, now, options);
            log.push({ at: now, retry: false });
          }
          if (retriesAvailable(state, now, options) < 0) return false;
          const recent = log.filter((entry) => entry.at > now - options.ttlMs + 1000);
          const retries = recent.filter((entry) => entry.retry).length;
          const requests = log.filter((entry) => !entry.retry && entry.at > now - options.ttlMs - 1000).length;
          if (retries > options.minPerSecond * 10 + options.ratio * requests + 1e-9) return false;
        }
        return true;
      }),
    );
  });
  it('keeps its seconds exactly as the rule says, over any history of requests and retries (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 4000 }), retry: fc.boolean() }), { maxLength: 60 }), (steps) => {
        let ours: RetryBudgetState = emptyRetryBudget;
        let theirs: RetryBudgetState = emptyRetryBudget;
        let now = 1_000_000;
        for (const { gapMs, retry } of steps) {
          now += gapMs;
          if (retry) {
            const spent = spendRetry(ours, now, options);
            ours = spent.state;
            if (spent.allowed) theirs = referenceBump(theirs, now, 'retries');
          } else {
            ours = depositRequest(ours, now, options);
            theirs = referenceBump(theirs, now, 'requests');
          }
          expect(ours).toEqual(theirs);
        }
      }),
    );
  });
});
