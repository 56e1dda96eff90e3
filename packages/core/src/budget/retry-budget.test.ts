import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depositRequest, emptyRetryBudget, retriesAvailable, spendRetry, type RetryBudgetState } from './retry-budget';

const options = { ratio: 0.2, minPerSecond: 1, ttlMs: 10_000 };

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
});
