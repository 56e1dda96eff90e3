import { env } from 'cloudflare:test';
import {
  depositRequest, emptyRetryBudget, mergeSharedBreaker, shareBreaker, spendRetry, type EndpointState, type RetryBudgetOptions,
  type RetryBudgetState, type SharedBreaker,
} from '@detour/core/store';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operationUrl, type StateObjectOperation, type StateObjectOperations } from './state-object-protocol';

// The retry budget has one arithmetic, core's (depositRequest, spendRetry). The Durable Object takes retries for a
// fleet from deposits that Workers batch per one-second bucket and send late: it must answer exactly as core does
// for the same requests and retries. Its breaker merge must agree with core's mergeSharedBreaker, open breakers with
// trips > 0 included (a half-open breaker is shared as open). Seeded, so a failure replays.

let objectNumber = 0;
const object = () => {
  const id = env.DETOUR_STATE.idFromName(`property-${(objectNumber += 1)}`) as never;
  return async <Name extends StateObjectOperation>(operation: Name, body: StateObjectOperations[Name]['request']) => {
    const response = await env.DETOUR_STATE.get(id).fetch(operationUrl(operation), { method: 'POST', body: JSON.stringify(body) });
    expect(response.ok).toBe(true);
    return (await response.json()) as StateObjectOperations[Name]['response'];
  };
};

type Step = { readonly type: 'request' | 'retry' | 'sync'; readonly advanceMs: number };
const step = fc.record({ type: fc.constantFrom<Step['type']>('request', 'request', 'request', 'retry', 'retry', 'sync'), advanceMs: fc.nat(1500) });
const budgetOptions = fc.record({
  ratio: fc.constantFrom(0, 0.1, 0.2, 0.25, 0.5, 1),
  minPerSecond: fc.nat(3),
  ttlMs: fc.constantFrom(1000, 2000, 3000, 5000, 10_000),
});

describe('the Durable Object retry budget against core arithmetic', () => {
  it('allows exactly the retries core allows, whatever the sequence and however deposits are batched', async () => {
    await fc.assert(
      fc.asyncProperty(budgetOptions, fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1_000_000, max: 2_000_000 }), async (options: RetryBudgetOptions, steps, start) => {
        const call = object();
        let model: RetryBudgetState = emptyRetryBudget;
        let pending = new Map<number, number>();
        const drain = () => {
          const deposits = [...pending];
          pending = new Map();
          return deposits;
        };
        let now = start;
        for (const { type, advanceMs } of steps) {
          now += advanceMs;
          if (type === 'request') {
            model = depositRequest(model, now, options);
            const bucket = now - (now % 1000);
            pending.set(bucket, (pending.get(bucket) ?? 0) + 1);
          } else if (type === 'sync') {
            await call('sync', { deposits: drain(), budget: options });
          } else {
            const expected = spendRetry(model, now, options);
            model = expected.state;
            expect((await call('spend-retry', { now, options, deposits: drain() })).allowed).toBe(expected.allowed);
          }
        }
      }),
      { seed: 20_261_201, numRuns: 40 },
    );
  });
});

const sharedBreaker: fc.Arbitrary<SharedBreaker> = fc.oneof(
  fc.record({ position: fc.constant<'open'>('open'), openUntil: fc.integer({ min: 1, max: 100_000 }), generation: fc.nat(6), trips: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ position: fc.constant<'closed'>('closed'), openUntil: fc.constant(0), generation: fc.nat(6), trips: fc.constant(0) }),
);

describe('the Durable Object breaker merge against core arithmetic', () => {
  it('holds what mergeSharedBreaker gives, for any sequence of reports', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sharedBreaker, { minLength: 1, maxLength: 10 }), async (reports) => {
        const call = object();
        // A fresh object holds a closed breaker of generation 0: the merge starts from it.
        let expected: SharedBreaker = { position: 'closed', openUntil: 0, generation: 0, trips: 0 };
        for (const report of reports) {
          const state: EndpointState = await call('transition', { endpoint: 'primary', breaker: report });
          expected = mergeSharedBreaker(expected, report);
          expect(shareBreaker(state.breaker)).toEqual(expected);
        }
      }),
      { seed: 20_261_201, numRuns: 40 },
    );
  });
});
