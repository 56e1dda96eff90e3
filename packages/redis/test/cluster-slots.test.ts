import { createHash } from 'node:crypto';
import type { BreakerOptions, RetryBudgetOptions } from '@detour/core/store';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { raiseDeadlineScript, spendRetryScript, takeProbeScript, transitionScript } from '../src/redis-scripts';
import { createRedisStore } from '../src/redis-store';
import { keySlot } from './key-slot';
import { startRedis, type RedisServer } from './redis-server';

// Redis Cluster refuses a command or script whose keys hash to different slots (CROSSSLOT). This drives a store
// through every script and checks, for every call it made, that all the keys it passed share one slot.

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.close();
});

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const scripts = new Map([
  [sha1(raiseDeadlineScript), 'raiseDeadline'], [sha1(transitionScript), 'transition'],
  [sha1(takeProbeScript), 'takeProbe'], [sha1(spendRetryScript), 'spendRetry'],
]);
const bySource = new Map([
  [raiseDeadlineScript, 'raiseDeadline'], [transitionScript, 'transition'], [takeProbeScript, 'takeProbe'], [spendRetryScript, 'spendRetry'],
]);

interface ScriptCall {
  readonly script: string;
  readonly keys: string[];
}

const breaker: BreakerOptions = {
  consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 1000,
  openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 1, probeTimeoutMs: 30_000,
};
const budget: RetryBudgetOptions = { ratio: 0.2, minPerSecond: 5, ttlMs: 10_000 };

describe('keys of the Redis store under Redis Cluster rules', () => {
  it('computes the slots Redis Cluster documents', () => {
    // From the Redis Cluster specification: CRC16/XMODEM of "123456789" is 0x31C3, and a hash tag picks the slot.
    expect(keySlot('123456789')).toBe(0x31c3 % 16384);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });

  it('passes every script keys of a single slot', async () => {
    const calls: ScriptCall[] = [];
    const spy = (url: string, options: RedisOptions) => {
      const client = new Redis(url, options);
      const send = client.sendCommand.bind(client);
      client.sendCommand = ((command: { name: string; args: unknown[] }, ...rest: unknown[]) => {
        if (command.name === 'evalsha' || command.name === 'eval') {
          const [source, count, ...rest] = command.args.map(String);
          const script = (command.name === 'evalsha' ? scripts.get(source!) : bySource.get(source!)) ?? 'unknown';
          calls.push({ script, keys: rest.slice(0, Number(count)) });
        }
        return (send as (...values: unknown[]) => unknown)(command, ...rest);
      }) as typeof client.sendCommand;
      return client;
    };
    const store = createRedisStore({ url: server.url, prefix: 'slots:', redis: spy, log: vi.fn() });
    await store.ready;
    const now = Date.now();
    store.coolDown('primary', now + 10_000, undefined, 'rate limited', now);
    store.coolDown('primary', now + 10_000, 'gpt-4.1', 'model rate limited', now);
    store.disable('primary', now + 10_000, 'bad key');
    // Trip the breaker (a transition), then take a probe once it is due, then close it with the probe.
    const first = await store.admit('backup', now, breaker);
    const opened = await store.recordResult('backup', { outcome: 'failure', generation: first.generation, probe: false, now }, breaker);
    await vi.waitFor(() => expect(calls.some(({ script }) => script === 'transition')).toBe(true));
    const probe = await store.admit('backup', opened.openUntil, breaker);
    expect(probe.probe).toBe(true);
    await store.recordResult('backup', { outcome: 'success', generation: probe.generation, probe: true, now: opened.openUntil }, breaker);
    store.depositRequest(now, budget);
    expect(await store.spendRetry(now, budget)).toBe(true);
    await vi.waitFor(() => expect(new Set(calls.map(({ script }) => script))).toEqual(new Set(['raiseDeadline', 'transition', 'takeProbe', 'spendRetry'])));
    await store.close();

    for (const call of calls) {
      expect(call.keys.length).toBeGreaterThan(1);
      expect(new Set(call.keys.map(keySlot)), `${call.script}: ${call.keys.join(' ')}`).toHaveProperty('size', 1);
    }
  });

  it('refuses a prefix that leaves an empty hash tag', () => {
    expect(() => createRedisStore({ url: server.url, prefix: '' })).toThrow(/hash tag/);
    expect(() => createRedisStore({ url: server.url, prefix: ':' })).toThrow(/hash tag/);
  });
});
