import { createFakeClock } from '@detour/core/testing';
import { Redis, type RedisOptions } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { patientRedis, useRedisServer } from '../test/redis-server';
import { redisKeys } from './redis-keys';
import { createRedisStore } from './redis-store';

let prefixNumber = 0;
const redis = useRedisServer();
const { cleanups } = redis;
const minute = 60_000;
const lines = (log: ReturnType<typeof vi.fn>) => log.mock.calls.map(([l]) => String(l)).filter((l) => !l.includes("instance's clock"));

const storeAt = (prefix: string, factory?: (url: string, o: RedisOptions) => Redis) => {
  const clock = createFakeClock(Date.now());
  const log = vi.fn();
  const store = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log, redis: factory ?? patientRedis });
  cleanups.push(() => store.close());
  return { clock, store, log };
};
const reloadUntil = async (clock: { advance(ms: number): void }, check: () => void | Promise<void>, timeout = 5000) =>
  vi.waitFor(async () => { clock.advance(1000); await check(); }, { timeout, interval: 20 });

const options = {
  consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 5000,
  openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 1, probeTimeoutMs: 30_000,
};

describe('atk11', () => {
  it('A: close() with a write in flight logs an outage line', async () => {
    const { clock, store, log } = storeAt(`atk-${(prefixNumber += 1)}:`);
    await store.ready;
    const admin = new Redis(redis.server.url);
    cleanups.push(async () => admin.disconnect());
    await admin.client('PAUSE', '150', 'WRITE');
    store.coolDown('primary', clock.now() + minute, undefined, 'rate limited', clock.now());
    await new Promise((r) => setTimeout(r, 20));
    await store.close();
    await new Promise((r) => setTimeout(r, 100));
    console.log('A lines after close:', JSON.stringify(lines(log)));
    expect(lines(log)).toEqual([]);
  });

  it('B: a probe lease released while Redis refused writes stays in Redis and blocks every member from probing', async () => {
    const prefix = `atk-${(prefixNumber += 1)}:`;
    const keys = redisKeys(prefix);
    const a = storeAt(prefix);
    await a.store.ready;
    const writer = new Redis(redis.server.url);
    const admin = new Redis(redis.server.url);
    cleanups.push(async () => { await admin.config('SET', 'maxmemory', '0'); admin.disconnect(); writer.disconnect(); });
    let now = a.clock.now();
    const first = await a.store.admit('primary', now, options);
    await a.store.recordResult('primary', { outcome: 'failure', generation: first.generation, probe: false, now }, options);
    await vi.waitFor(async () => expect(await writer.hget(keys.endpoint('primary'), 'breakerPosition')).toBe('open'), { timeout: 5000 });
    a.clock.advance(5000);
    now = a.clock.now();
    const probe = await a.store.admit('primary', now, options);
    console.log('B probe admission', probe.admitted, probe.probe, probe.lease);
    expect(await writer.zcard(keys.probes('primary'))).toBe(1);
    // Redis refuses writes (OOM): a cooldown elsewhere fails, the store goes local-only.
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    a.store.coolDown('other', now + minute, undefined, 'rate limited', now);
    await vi.waitFor(() => expect(a.store.connected).toBe(false), { timeout: 5000 });
    // The probe fails while down: the breaker reopens locally (generation 3), the release is skipped.
    await a.store.recordResult('primary', { outcome: 'failure', generation: probe.generation, probe: true, lease: probe.lease, now }, options);
    console.log('B local breaker after probe failure', JSON.stringify(a.store.read('primary').breaker));
    await admin.config('SET', 'maxmemory', '0');
    await reloadUntil(a.clock, () => expect(a.store.connected).toBe(true));
    await vi.waitFor(async () => expect(await writer.hget(keys.endpoint('primary'), 'breakerTrips')).toBe('2'), { timeout: 5000 });
    const members = await writer.zrange(keys.probes('primary'), 0, -1);
    const pttl = await writer.pttl(keys.probes('primary'));
    console.log('B after rejoin: probe set', JSON.stringify(members), 'pttl', pttl, 'stored', JSON.stringify(await writer.hgetall(keys.endpoint('primary'))));
    // The reopened breaker is due (openUntil passed on the fake clock): no probe is in flight anywhere, yet a second
    // member (fresh) and this one are both refused a probe.
    const b = storeAt(prefix);
    await b.store.ready;
    const due = a.store.read('primary').breaker.openUntil + 1;
    a.clock.advance(due - a.clock.now());
    b.clock.advance(due - b.clock.now() + 100);
    await new Promise((r) => setTimeout(r, 50));
    const aAdmit = await a.store.admit('primary', a.clock.now(), options);
    const bAdmit = await b.store.admit('primary', b.clock.now(), options);
    console.log('B admissions when due: a', aAdmit.admitted, aAdmit.probe, 'b', bAdmit.admitted, bAdmit.probe, 'b breaker', JSON.stringify(b.store.read('primary').breaker));
    console.log('B probe set still', JSON.stringify(await writer.zrange(keys.probes('primary'), 0, -1)), 'pttl', await writer.pttl(keys.probes('primary')));
    expect(members).toEqual([]);
  });

  it('F: Redis emptied without dropping the connection (FLUSHALL, a proxy in front of a restart): live state never goes back', async () => {
    const prefix = `atk-${(prefixNumber += 1)}:`;
    const keys = redisKeys(prefix);
    const a = storeAt(prefix);
    await a.store.ready;
    const writer = new Redis(redis.server.url);
    cleanups.push(async () => writer.disconnect());
    a.store.disable('primary', a.clock.now() + 60 * minute, 'unauthorized');
    a.store.coolDown('backup', a.clock.now() + 10 * minute, undefined, 'rate limited', a.clock.now());
    await vi.waitFor(async () => expect(await writer.hget(keys.endpoint('primary'), 'disabledUntil')).not.toBeNull());
    await writer.flushall();
    for (let i = 0; i < 5; i += 1) { a.clock.advance(1000); await new Promise((r) => setTimeout(r, 50)); }
    const c = storeAt(prefix);
    await c.store.ready;
    console.log(`F after FLUSHALL + 5 reloads: A connected=${a.store.connected}, A still holds disabledUntil>0: ${a.store.read('primary').disabledUntil > 0}; in Redis: ${JSON.stringify(await writer.hgetall(keys.endpoint('primary')))}; a member joining now reads primary.disabledUntil=${c.store.read('primary').disabledUntil}, backup.cooldownUntil=${c.store.read('backup').cooldownUntil}`);
    expect(c.store.read('primary').disabledUntil).toBeGreaterThan(0);
  });
});
