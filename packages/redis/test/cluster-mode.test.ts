import type { BreakerOptions, RetryBudgetOptions } from '@detour/core/store';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defineDetourScripts } from '../src/redis-scripts';
import { createRedisStore } from '../src/redis-store';
import { patientRedis, startRedis, type RedisServer } from './redis-server';

// The same store against a redis-server in cluster mode (one node holding every slot): Redis itself now refuses any
// command or script whose keys span two slots, so a CROSSSLOT anywhere would surface as an outage in the log.

let server: RedisServer;
let admin: Redis;
beforeAll(async () => {
  server = await startRedis({ cluster: true });
  admin = new Redis(server.url);
  await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
  await vi.waitFor(async () => expect(String(await admin.call('CLUSTER', 'INFO'))).toContain('cluster_state:ok'), { timeout: 10_000, interval: 50 });
});
afterAll(async () => {
  admin.disconnect();
  await server.close();
});

const breaker: BreakerOptions = {
  consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 1000,
  openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 1, probeTimeoutMs: 30_000,
};
const budget: RetryBudgetOptions = { ratio: 0.2, minPerSecond: 5, ttlMs: 10_000 };

describe('the Redis store on a cluster-mode Redis', () => {
  it('refuses keys of two slots, as a cluster does', async () => {
    const client = defineDetourScripts(new Redis(server.url));
    try {
      await expect(client.detourRaiseDeadline('detour:endpoint:a', 'detour:endpoints', 'a', 'detour:events', 'cooldownUntil', '5', 'r', '0', '256', ''))
        .rejects.toThrow(/CROSSSLOT/);
    } finally {
      client.disconnect();
    }
  });

  it('runs every script without an error', async () => {
    const log = vi.fn();
    const store = createRedisStore({ url: server.url, prefix: 'cluster:', log, redis: patientRedis });
    const other = createRedisStore({ url: server.url, prefix: 'cluster:', log, redis: patientRedis });
    try {
      await Promise.all([store.ready, other.ready]);
      const now = Date.now();
      store.coolDown('primary', now + 10_000, 'gpt-4.1', 'rate limited', now);
      store.disable('backup', now + 10_000, 'bad key');
      const first = await store.admit('flaky', now, breaker);
      const opened = await store.recordResult('flaky', { outcome: 'failure', generation: first.generation, probe: false, now }, breaker);
      await vi.waitFor(() => expect(other.read('flaky').breaker.position).toBe('open'), { timeout: 5000 });
      const probe = await store.admit('flaky', opened.openUntil, breaker);
      expect(probe).toMatchObject({ admitted: true, probe: true });
      expect(probe.lease).toBeDefined();
      store.depositRequest(now, budget);
      expect(await store.spendRetry(now, budget)).toBe(true);
      await vi.waitFor(() => expect(other.read('primary').modelCooldowns['gpt-4.1']).toBe(now + 10_000), { timeout: 5000 });
      expect(log).not.toHaveBeenCalled();
      expect(store.connected).toBe(true);
    } finally {
      await Promise.all([store.close(), other.close()]);
    }
  });
});
