import { emptyRetryBudget, depositRequest, mergeSharedBreaker, spendRetry, type RetryBudgetOptions, type RetryBudgetState, type SharedBreaker } from '@detour/core/store';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEndpointHash } from '../src/endpoint-hash';
import { redisKeys } from '../src/redis-keys';
import { createRedisRetryBudget } from '../src/redis-retry-budget';
import { defineDetourScripts } from '../src/redis-scripts';
import { startRedis, type RedisServer } from './redis-server';

// The retry budget has one arithmetic, core's (depositRequest, spendRetry). The Lua script that takes a retry for a
// fleet must answer exactly as core does for any sequence of requests, retries and flushes; and the Lua that merges
// breaker transitions must agree with core's mergeSharedBreaker, open and half-open (shared as open) breakers with
// trips > 0 included. Seeded, so a failure replays.

let server: RedisServer;
let client: Redis & ReturnType<typeof defineDetourScripts>;
let fleet = 0;
beforeAll(async () => {
  server = await startRedis();
  client = defineDetourScripts(new Redis(server.url));
});
afterAll(async () => {
  client.disconnect();
  await server.close();
});

type Step = { readonly type: 'request' | 'retry' | 'flush'; readonly advanceMs: number };
const step = fc.record({ type: fc.constantFrom<Step['type']>('request', 'request', 'request', 'retry', 'retry', 'flush'), advanceMs: fc.nat(1500) });
const budgetOptions = fc.record({
  ratio: fc.constantFrom(0, 0.1, 0.2, 0.25, 0.5, 1),
  minPerSecond: fc.nat(3),
  ttlMs: fc.constantFrom(1000, 2000, 3000, 5000, 10_000),
});

describe('the Redis retry budget against core arithmetic', () => {
  it('allows exactly the retries core allows, whatever the sequence', async () => {
    await fc.assert(
      fc.asyncProperty(budgetOptions, fc.array(step, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1_000_000, max: 2_000_000 }), async (options: RetryBudgetOptions, steps, start) => {
        const budget = createRedisRetryBudget(client, redisKeys(`budget-${(fleet += 1)}:`));
        let model: RetryBudgetState = emptyRetryBudget;
        let now = start;
        for (const { type, advanceMs } of steps) {
          now += advanceMs;
          if (type === 'request') {
            model = depositRequest(model, now, options);
            budget.deposit(now, options);
          } else if (type === 'flush') {
            await budget.flush();
          } else {
            const expected = spendRetry(model, now, options);
            model = expected.state;
            expect(await budget.spend(now, options)).toBe(expected.allowed);
          }
        }
      }),
      { seed: 20_261_201, numRuns: 60 },
    );
  });
});

const sharedBreaker: fc.Arbitrary<SharedBreaker> = fc.oneof(
  fc.record({ position: fc.constant<'open'>('open'), openUntil: fc.integer({ min: 1, max: 100_000 }), generation: fc.nat(6), trips: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ position: fc.constant<'closed'>('closed'), openUntil: fc.constant(0), generation: fc.nat(6), trips: fc.constant(0) }),
);

describe('the Lua breaker merge against core arithmetic', () => {
  it('stores what mergeSharedBreaker gives, for any sequence of reports', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sharedBreaker, { minLength: 1, maxLength: 12 }), async (reports) => {
        const keys = redisKeys(`merge-${(fleet += 1)}:`);
        let expected: SharedBreaker | undefined;
        for (const report of reports) {
          await client.detourTransition(
            keys.endpoint('primary'), keys.endpoints, keys.probes('primary'), 'primary', keys.channel,
            report.position, String(report.openUntil), String(report.generation), String(report.trips),
          );
          expected = mergeSharedBreaker(expected, report);
          expect(readEndpointHash(await client.hgetall(keys.endpoint('primary'))).breaker).toEqual(expected);
        }
      }),
      { seed: 20_261_201, numRuns: 60 },
    );
  });
});
