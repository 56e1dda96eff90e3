import { createFakeClock } from '@detour/core/testing';
import { createServer } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { patientRedis, useRedisServer } from '../test/redis-server';
import { redisKeys } from './redis-keys';
import { createRedisStore, subscribeWaitMs } from './redis-store';

// The Redis store when the fleet around it misbehaves (the seventh attack's Redis findings): clocks that disagree,
// lost messages, keys nobody should have written, a subscriber that cannot connect, a Redis that refuses writes.

let prefixNumber = 0;
const redis = useRedisServer();
const { cleanups } = redis;


const minute = 60_000;
/** The log lines of a store's log that are not about its clock (a fake clock drifts from the server's as it is advanced). */
const linesBesidesClock = (log: ReturnType<typeof vi.fn>) => log.mock.calls.map(([line]) => String(line)).filter((line) => !line.includes('this instance\'s clock'));

/** The Redis server's clock in ms: what the fleet's deadlines are written in. */
const serverNow = async (redis: Redis) => {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
};

/** A store on a fake clock `skewMs` off the real one, reloading every second, with its log. */
const storeAt = async (prefix: string, skewMs = 0, options: { redis?: (url: string, options: RedisOptions) => Redis } = {}) => {
  const clock = createFakeClock(Date.now() + skewMs);
  const log = vi.fn();
  // On the server's clock, as a store without an injected clock is: what these tests are about.
  const store = createRedisStore({ url: redis.server.url, prefix, clock, serverClock: true, refreshMs: 1000, log, redis: options.redis ?? patientRedis });
  cleanups.push(() => store.close());
  return { clock, store, log };
};

/** One store beside a plain connection that writes to its keys behind its back. */
const storeBesideWriter = async () => {
  const prefix = `faults-${(prefixNumber += 1)}:`;
  const { clock, store, log } = await storeAt(prefix);
  await store.ready;
  const writer = new Redis(redis.server.url);
  cleanups.push(async () => writer.disconnect());
  return { clock, store, log, writer, keys: redisKeys(prefix) };
};

/** Advances the fake clock a reload at a time until `check` passes. */
const reloadUntil = async (clock: { advance(ms: number): void }, check: () => void | Promise<void>) =>
  vi.waitFor(async () => {
    clock.advance(1000);
    await check();
  }, { timeout: 5000, interval: 20 });

describe('the Redis store with clocks that disagree', () => {
  it('repairs a lost message with the full reload, reading the deadline on the server clock', async () => {
    const { clock, store, writer, keys } = await storeBesideWriter();
    // A change written without its PUBLISH, as if the message had been lost: a minute from the server's now.
    await writer.hset(keys.endpoint('primary'), 'cooldownUntil', String((await serverNow(writer)) + minute), 'reason', 'lost');
    await writer.sadd(keys.endpoints, 'primary');
    clock.advance(999);
    await writer.ping();
    expect(store.read('primary').cooldownUntil).toBe(0);

    clock.advance(1);
    await vi.waitFor(() => expect(store.read('primary').reason).toBe('lost'), { timeout: 5000, interval: 1 });
    // A minute from the server's now is about a minute from this instance's, whatever its clock reads.
    const remaining = store.read('primary').cooldownUntil - clock.now();
    expect(remaining).toBeGreaterThan(minute - 2000);
    expect(remaining).toBeLessThanOrEqual(minute);
  });

  it('does not adopt a deadline more than a day ahead of the server, as a poisoned key writes it', async () => {
    const { clock, store, writer, keys } = await storeBesideWriter();
    // Attack 7, R1: a month ahead and 9e15 took the endpoint from every member, and they wrote it back after the key
    // was deleted. Beside them, a sound cooldown on another endpoint is adopted as before.
    const now = await serverNow(writer);
    await writer.hset(keys.endpoint('primary'), 'cooldownUntil', String(now + 30 * 86_400_000), 'disabledUntil', '9000000000000000', 'reason', 'skewed');
    await writer.hset(keys.endpoint('backup'), 'cooldownUntil', String(now + minute), 'reason', 'sound');
    await writer.sadd(keys.endpoints, 'primary', 'backup');
    await reloadUntil(clock, () => expect(store.read('backup').reason).toBe('sound'));
    expect(store.read('primary')).toMatchObject({ cooldownUntil: 0, disabledUntil: 0 });
  });

  it('cools an endpoint for the time the provider asked on every member, when one member\'s clock runs 40 minutes fast', async () => {
    // Attack 7, R1's remainder: deadlines travelled on each member's own clock, so a 60 s cooldown set by a member
    // 40 minutes fast held the endpoint for 41 minutes on every other member.
    const prefix = `faults-${(prefixNumber += 1)}:`;
    const fast = await storeAt(prefix, 40 * minute);
    const sound = await storeAt(prefix);
    await Promise.all([fast.store.ready, sound.store.ready]);
    fast.store.coolDown('primary', fast.clock.now() + minute, undefined, 'rate limited', fast.clock.now());
    fast.store.coolDown('primary', fast.clock.now() + 2 * minute, 'gpt-4.1', 'rate limited', fast.clock.now());
    await vi.waitFor(() => expect(sound.store.read('primary').modelCooldowns['gpt-4.1']).toBeDefined(), { timeout: 5000, interval: 5 });
    const state = sound.store.read('primary');
    for (const [until, asked] of [[state.cooldownUntil, minute], [state.modelCooldowns['gpt-4.1']!, 2 * minute]] as const) {
      expect(until - sound.clock.now()).toBeGreaterThan(asked - 2000);
      expect(until - sound.clock.now()).toBeLessThanOrEqual(asked + 2000);
    }
    // The fast member says so in its log, once; the sound one says nothing.
    expect(fast.log.mock.calls.map(([line]) => String(line))).toEqual([expect.stringMatching(/^detour: this instance's clock is 2(39|40)\d{4} ms ahead of the clock of Redis at 127\.0\.0\.1:\d+; the fleet's deadlines are converted to the server's$/)]);
    expect(sound.log).not.toHaveBeenCalled();
    // And in Redis it is written on the server's clock, so a member that joins later reads it the same way.
    const reader = new Redis(redis.server.url);
    cleanups.push(async () => reader.disconnect());
    const stored = Number(await reader.hget(redisKeys(prefix).endpoint('primary'), 'cooldownUntil'));
    expect(Math.abs(stored - minute - (await serverNow(reader)))).toBeLessThan(2000);
  });

  it('keeps a breaker opened by a fast member open for its openMs on the others', async () => {
    const prefix = `faults-${(prefixNumber += 1)}:`;
    const fast = await storeAt(prefix, 40 * minute);
    const sound = await storeAt(prefix);
    await Promise.all([fast.store.ready, sound.store.ready]);
    const options = {
      consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 5000,
      openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 1, probeTimeoutMs: 30_000,
    };
    const now = fast.clock.now();
    const admission = await fast.store.admit('primary', now, options);
    await fast.store.recordResult('primary', { outcome: 'failure', generation: admission.generation, probe: false, now }, options);
    await vi.waitFor(() => expect(sound.store.read('primary').breaker.position).toBe('open'), { timeout: 5000, interval: 5 });
    const openFor = sound.store.read('primary').breaker.openUntil - sound.clock.now();
    expect(openFor).toBeGreaterThan(5000 - 2000);
    expect(openFor).toBeLessThanOrEqual(5000 + 2000);
  });
});

describe('the Redis store on an injected clock', () => {
  it('shares a deadline as the injected clock reads it, however far that clock moves from the server\'s (review)', async () => {
    // On the server's clock, a store took a fake clock's advance for the clocks drifting apart, and moved every
    // deadline it read by it: a member joining 3 fake seconds later saw a 5 s cooldown end 3 s late.
    const prefix = `faults-${(prefixNumber += 1)}:`;
    const clock = createFakeClock(Date.now());
    const start = (log = vi.fn()) => {
      const store = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log, redis: patientRedis });
      cleanups.push(() => store.close());
      return store;
    };
    const writer = start();
    await writer.ready;
    writer.coolDown('primary', clock.now() + 5000, undefined, 'rate limited', clock.now());
    const inspect = new Redis(redis.server.url);
    cleanups.push(async () => inspect.disconnect());
    await vi.waitFor(async () => expect(await inspect.hget(redisKeys(prefix).endpoint('primary'), 'cooldownUntil')).not.toBeNull(), { timeout: 5000 });
    clock.advance(3000);
    const reader = start();
    await reader.ready;
    expect(reader.read('primary').cooldownUntil).toBe(writer.read('primary').cooldownUntil);
  });
});

describe('the Redis store beside keys it did not write', () => {
  it('goes on sharing, without an outage, past a key of the wrong type and fields that are not numbers', async () => {
    const { clock, store, log, writer, keys } = await storeBesideWriter();
    // Attack 7, R4: one such key failed every reload and breaker script, logged as "unavailable", fleet-wide.
    await writer.set(keys.endpoint('broken'), 'not a hash');
    await writer.hset(keys.endpoint('primary'), 'breakerPosition', 'open', 'breakerGeneration', 'many', 'breakerOpenUntil', 'soon', 'breakerTrips', '{}');
    await writer.sadd(keys.endpoints, 'broken', 'primary');
    await writer.set(keys.quota, 'not a ledger');
    await writer.hset(keys.endpoint('backup'), 'cooldownUntil', String((await serverNow(writer)) + minute), 'reason', 'sound');
    await writer.sadd(keys.endpoints, 'backup');
    await reloadUntil(clock, () => expect(store.read('backup').reason).toBe('sound'));

    const options = {
      consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 5000,
      openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 1, probeTimeoutMs: 30_000,
    };
    const admission = await store.admit('primary', clock.now(), options);
    const { generation, probe, lease } = admission;
    await store.recordResult('primary', { outcome: 'failure', generation, probe, lease, now: clock.now() }, options);
    store.coolDown('broken', clock.now() + minute, 'gpt-4.1', 'rate limited', clock.now());
    const exchanged = await store.exchangeQuota!([{ endpoint: 'primary', model: 'gpt-4.1', spent: { requests: 1 } }], clock.now());
    expect(exchanged).toEqual([{ endpoint: 'primary', model: 'gpt-4.1', spent: { requests: 1 }, reading: undefined, since: expect.any(Number) }]);
    await vi.waitFor(async () => expect(await writer.hget(keys.endpoint('broken'), 'model:gpt-4.1')).not.toBeNull(), { timeout: 5000 });
    await vi.waitFor(async () => expect(await writer.hget(keys.endpoint('primary'), 'breakerGeneration')).toMatch(/^[1-9]\d*$/), { timeout: 5000 });
    await reloadUntil(clock, () => expect(store.connected).toBe(true));
    expect(linesBesidesClock(log)).toEqual([]);
  });
});

describe('the Redis store when Redis half works', () => {
  it('settles ready, and says so once, when the subscriber cannot connect', async () => {
    // Attack 7, R2: a Redis at maxclients with one slot free held ready, and so a gateway's start, forever.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const deaf = (url: string, options: RedisOptions) =>
      options.maxRetriesPerRequest === null ? new Redis(`redis://127.0.0.1:${port}`, options) : patientRedis(url, options);
    const { clock, store, log } = await storeAt(`faults-${(prefixNumber += 1)}:`, 0, { redis: deaf });
    let ready = false;
    void store.ready.then(() => {
      ready = true;
    });
    await vi.waitFor(() => {
      clock.advance(subscribeWaitMs);
      expect(ready).toBe(true);
    }, { timeout: 5000, interval: 20 });
    expect(store.connected).toBe(true);
    expect(linesBesidesClock(log)).toHaveLength(1);
    expect(linesBesidesClock(log)[0]).toMatch(/cannot subscribe to Redis at 127\.0\.0\.1:\d+ yet; fleet changes arrive with the reload every 1000 ms/);
  });

  it('logs one outage while Redis answers reads and refuses writes, and rejoins when it takes them again', async () => {
    // Attack 7, R5: out of memory, every reload ended the outage and the next write began another: a line a second.
    const { clock, store, log, writer } = await storeBesideWriter();
    const admin = new Redis(redis.server.url);
    cleanups.push(async () => {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    });
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    store.coolDown('primary', clock.now() + minute, undefined, 'rate limited', clock.now());
    await vi.waitFor(() => expect(linesBesidesClock(log)).toHaveLength(1), { timeout: 5000 });
    expect(linesBesidesClock(log)[0]).toContain('OOM');
    for (let reload = 0; reload < 5; reload += 1) {
      clock.advance(1000);
      store.coolDown('primary', clock.now() + minute, `m-${reload}`, 'rate limited', clock.now());
      await writer.ping();
    }
    expect(store.connected).toBe(false);
    expect(linesBesidesClock(log)).toHaveLength(1);

    await admin.config('SET', 'maxmemory', '0');
    await reloadUntil(clock, () => expect(store.connected).toBe(true));
    // Rejoining sent this instance's cooldowns back.
    await vi.waitFor(async () => expect(Number(await writer.hget(redisKeys(`faults-${prefixNumber}:`).endpoint('primary'), 'cooldownUntil'))).toBeGreaterThan(0), { timeout: 5000 });
    expect(linesBesidesClock(log)).toHaveLength(1);
  });
});
