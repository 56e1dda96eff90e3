import type { BreakerOptions } from '@detour/core/store';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redisKeys } from '../src/redis-keys';
import { createRedisStore } from '../src/redis-store';
import { startRedis, type RedisServer } from './redis-server';

// A probe's result frees the lease it was admitted under, and only that one. Before leases carried ids, a probe
// admitted on local state (its Redis round trip failed) freed the oldest slot this instance held in Redis on its
// result: another request's, still in flight, letting a second instance probe at once.

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.close();
});

const options: BreakerOptions = {
  consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 1000,
  openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 2, probeTimeoutMs: 30_000,
};

describe('probe leases in the Redis store', () => {
  it("never frees another request's slot when a probe admitted after a Redis error reports", async () => {
    let failNextProbe = false;
    const removed: string[] = [];
    const connect = (url: string, connectionOptions: RedisOptions) => {
      const client = new Redis(url, connectionOptions);
      const send = client.sendCommand.bind(client) as (...values: unknown[]) => unknown;
      client.sendCommand = ((command: { name: string; args: unknown[] }, ...rest: unknown[]) => {
        if (command.name === 'zrem') removed.push(String(command.args[1]));
        if (failNextProbe && (command.name === 'evalsha' || command.name === 'eval') && command.args.length === 9) {
          failNextProbe = false;
          throw new Error('injected: Redis did not answer');
        }
        return send(command, ...rest);
      }) as typeof client.sendCommand;
      return client;
    };
    const prefix = 'lease:';
    const store = createRedisStore({ url: server.url, prefix, redis: connect, refreshMs: 20, log: vi.fn() });
    const reader = new Redis(server.url);
    try {
      await store.ready;
      const now = Date.now();
      const first = await store.admit('primary', now, options);
      const opened = await store.recordResult('primary', { outcome: 'failure', generation: first.generation, probe: false, now }, options);
      await vi.waitFor(async () => expect((await reader.hgetall(redisKeys(prefix).endpoint('primary'))).breakerPosition).toBe('open'), { timeout: 5000 });

      // P1 takes a lease in Redis; P2's round trip fails, so it is admitted on the local view, without a lease.
      const held = await store.admit('primary', opened.openUntil, options);
      expect(held).toMatchObject({ admitted: true, probe: true });
      expect(held.lease).toBeDefined();
      failNextProbe = true;
      const local = await store.admit('primary', opened.openUntil, options);
      expect(local).toMatchObject({ admitted: true, probe: true });
      expect(local.lease).toBeUndefined();
      await vi.waitFor(() => expect(store.connected).toBe(true), { timeout: 5000 });

      // P2 reports: P1's lease stays in Redis.
      await store.recordResult('primary', { outcome: 'neutral', generation: local.generation, probe: true, now: opened.openUntil, lease: local.lease }, options);
      expect(removed).toEqual([]);
      expect(await reader.zrange(redisKeys(prefix).probes('primary'), 0, -1)).toEqual([held.lease]);

      // P1 reports: its own lease goes.
      await store.recordResult('primary', { outcome: 'neutral', generation: held.generation, probe: true, now: opened.openUntil, lease: held.lease }, options);
      expect(removed).toEqual([held.lease]);
      await vi.waitFor(async () => expect(await reader.zcard(redisKeys(prefix).probes('primary'))).toBe(0), { timeout: 5000 });
    } finally {
      reader.disconnect();
      await store.close();
    }
  });
});
