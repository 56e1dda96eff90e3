import { availableFrom, type BreakerOptions } from '@detour/core/store';
import { createRouter, type NodeRouter } from '@detour/node';
import { startChaosUpstream, type ChaosUpstream, type FaultRule } from '@detour/testkit';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { useRedisServer } from '../test/redis-server';
import { redisKeys } from './redis-keys';
import { createRedisStore, type RedisStore } from './redis-store';

// Three routers, each with its own Redis store: three gateway instances of one fleet, over two local upstreams.

let prefixNumber = 0;
const redis = useRedisServer();
const { cleanups } = redis;
const model = 'gpt-4.1';
const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello' }] });
const rateLimit: FaultRule = { when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20_000 } };
const breakerOptions = { consecutiveFailures: 3 };


interface Gateway {
  readonly name: string;
  readonly store: RedisStore;
  readonly router: NodeRouter;
  readonly log: ReturnType<typeof vi.fn>;
  send(): Promise<string>;
}

const startFleet = async (script: FaultRule[] = []) => {
  const prefix = `fleet-${(prefixNumber += 1)}:`;
  const primary = await startChaosUpstream({ name: 'primary', script });
  const backup = await startChaosUpstream({ name: 'backup' });
  const gateway = async (name: string): Promise<Gateway> => {
    const log = vi.fn();
    const store = createRedisStore({ url: redis.server.url, prefix, log });
    await store.ready;
    const endpoint = (upstream: ChaosUpstream, priority: number) =>
      ({ name: upstream === primary ? 'primary' : 'backup', baseUrl: upstream.baseUrl, priority, headers: { 'x-instance': name } });
    const router = createRouter({ endpoints: [endpoint(primary, 0), endpoint(backup, 1)], breaker: breakerOptions }, { store });
    const send = async () => (await router.send({ path: '/chat/completions', body })).endpoint;
    return { name, store, router, log, send };
  };
  const gateways = await Promise.all(['A', 'B', 'C'].map(gateway));
  cleanups.push(async () => {
    await Promise.all(gateways.map(async ({ store, router }) => Promise.all([store.close(), router.close()])));
    await Promise.all([primary.close(), backup.close()]);
  });
  return { prefix, primary, backup, gateways };
};

/** Sends requests through a gateway back to back until stopped; resolves with how many it sent and how many failed. */
const keepSending = (gateway: Gateway) => {
  let running = true;
  let sent = 0;
  let failed = 0;
  const done = (async () => {
    while (running) {
      await gateway.send().catch(() => {
        failed += 1;
      });
      sent += 1;
    }
  })();
  return {
    get sent() {
      return sent;
    },
    async stop() {
      running = false;
      await done;
      return { sent, failed };
    },
  };
};

const coolingFor = (store: RedisStore, at: number) => availableFrom(store.read('primary'), model) > at;
const instancesOf = (records: { headers: Record<string, string> }[]) => new Set(records.map((record) => record.headers['x-instance']));

describe('a fleet of three gateways sharing a Redis store', () => {
  // No timed assertion: timing bounds (the pub/sub delay) are the bench's. What must hold is an order: once every
  // instance's local view has the cooldown, whatever each had in flight lands, and then nothing reaches primary.
  it('stops every instance sending to an endpoint once each has heard of the 429 one instance saw', async () => {
    const { primary, backup, gateways } = await startFleet();
    const loops = gateways.map(keepSending);
    await vi.waitFor(() => expect(instancesOf(primary.stats().requests).size).toBe(3), { timeout: 5000, interval: 5 });

    primary.setScript([rateLimit]);
    await vi.waitFor(() => expect(primary.stats().requests.some((record) => record.outcome === 'rate-limit')).toBe(true), { timeout: 5000, interval: 1 });
    const limited = primary.stats().requests.find((record) => record.outcome === 'rate-limit')!;
    await vi.waitFor(() => expect(gateways.every(({ store }) => coolingFor(store, limited.at))).toBe(true), { timeout: 5000, interval: 1 });
    // Each instance has at most one request in flight: two answers later from the backup, that one has landed too.
    const sentAt = loops.map((loop) => loop.sent);
    await vi.waitFor(() => expect(loops.every((loop, index) => loop.sent >= sentAt[index]! + 2)).toBe(true), { timeout: 5000 });
    const settled = primary.stats().total;
    const backupBefore = backup.stats().total;
    const settledAt = loops.map((loop) => loop.sent);
    await vi.waitFor(() => expect(loops.every((loop, index) => loop.sent >= settledAt[index]! + 11)).toBe(true), { timeout: 5000 });
    const results = await Promise.all(loops.map((loop) => loop.stop()));

    expect(results.map(({ failed }) => failed)).toEqual([0, 0, 0]);
    expect(primary.stats().total).toBe(settled);
    expect(backup.stats().total - backupBefore).toBeGreaterThanOrEqual(30);
    expect(instancesOf(backup.requestsBetween(limited.at, Number.POSITIVE_INFINITY))).toEqual(new Set(['A', 'B', 'C']));
  });

  it('makes a breaker opened on one instance send the others straight to the backup', async () => {
    const { primary, gateways } = await startFleet([{ fault: { type: 'status', status: 500 } }]);
    const [a, b] = gateways as [Gateway, Gateway, Gateway];
    for (let request = 0; request < 3; request += 1) expect(await a.send()).toBe('backup');
    expect(a.store.read('primary').breaker.position).toBe('open');
    await vi.waitFor(() => expect(b.store.read('primary').breaker.position).toBe('open'), { timeout: 5000, interval: 1 });

    const result = await b.router.send({ path: '/chat/completions', body });
    expect(result.endpoint).toBe('backup');
    expect(result.attempts).toHaveLength(1);
    expect(instancesOf(primary.stats().requests)).toEqual(new Set(['A']));
  });

  it('lets only one instance probe a half-open endpoint at a time', async () => {
    const { gateways } = await startFleet();
    const options: BreakerOptions = {
      consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 5000,
      openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 1, probeTimeoutMs: 30_000,
    };
    const [a] = gateways as [Gateway, Gateway, Gateway];
    const now = Date.now();
    const admission = await a.store.admit('primary', now, options);
    const opened = await a.store.recordResult('primary', { outcome: 'failure', generation: admission.generation, probe: false, now }, options);
    await vi.waitFor(() => expect(gateways.every(({ store }) => store.read('primary').breaker.openUntil === opened.openUntil)).toBe(true), { timeout: 5000, interval: 1 });

    const admissions = await Promise.all(gateways.map(({ store }) => store.admit('primary', opened.openUntil, options)));
    expect(admissions.filter(({ admitted }) => admitted)).toHaveLength(1);
    expect(admissions.find(({ admitted }) => admitted)?.probe).toBe(true);
  });

  it('loses no request while Redis is down, logs the outage once per instance, and re-syncs when it returns', async () => {
    const { primary, gateways } = await startFleet();
    const [a, b] = gateways as [Gateway, Gateway, Gateway];
    const loops = gateways.map(keepSending);
    await vi.waitFor(() => expect(loops.every((loop) => loop.sent >= 5)).toBe(true), { timeout: 5000 });

    await redis.server.stop();
    await vi.waitFor(() => expect(gateways.every(({ store }) => !store.connected)).toBe(true), { timeout: 5000 });
    const sentWhenDown = loops.map((loop) => loop.sent);
    await vi.waitFor(() => expect(loops.every((loop, index) => loop.sent >= sentWhenDown[index]! + 20)).toBe(true), { timeout: 5000 });
    await redis.server.start();
    await vi.waitFor(() => expect(gateways.every(({ store }) => store.connected)).toBe(true), { timeout: 5000, interval: 20 });
    const results = await Promise.all(loops.map((loop) => loop.stop()));

    expect(results.map(({ failed }) => failed)).toEqual([0, 0, 0]);
    for (const { log } of gateways) {
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]?.[0])).toContain('unavailable');
    }
    // A new cooldown on A reaches B again through the restarted (empty) Redis.
    primary.setScript([rateLimit]);
    expect(await a.send()).toBe('backup');
    const limited = primary.stats().requests.find((record) => record.outcome === 'rate-limit')!;
    await vi.waitFor(() => expect(coolingFor(b.store, limited.at)).toBe(true), { timeout: 5000, interval: 1 });
  });

  it('answers every request locally and logs once while Redis hangs', async () => {
    const { gateways } = await startFleet([{ fault: { type: 'status', status: 500 } }]);
    const [a] = gateways as [Gateway, Gateway, Gateway];
    const admin = new Redis(redis.server.url);
    cleanups.push(async () => {
      admin.disconnect();
    });
    await admin.client('PAUSE', 700, 'ALL');
    // Failures open the breaker and publish the transition into the paused Redis: nothing waits on it.
    const sent = await Promise.all(Array.from({ length: 10 }, () => a.send()));
    expect(sent).toEqual(Array.from({ length: 10 }, () => 'backup'));
    await vi.waitFor(() => expect(a.log).toHaveBeenCalledTimes(1), { timeout: 2000 });
    expect(a.store.read('primary').breaker.position).toBe('open');
    // The pause ends by itself; UNPAUSE would wait behind it.
  });
});

describe('hostile model names and keys in a fleet sharing a Redis store', () => {
  it('shares cooldowns of __proto__, constructor and toString as ordinary models, through pub/sub and a reload', async () => {
    const { prefix, gateways: [a, b] } = await startFleet();
    const now = Date.now();
    const hostile = ['__proto__', 'constructor', 'toString'];
    for (const name of hostile) a!.store.coolDown('primary', now + 60_000, name, 'rate limited', now);
    await vi.waitFor(() => expect(Object.keys(b!.store.read('primary').modelCooldowns).sort()).toEqual([...hostile].sort()), { timeout: 5000, interval: 5 });
    const late = createRedisStore({ url: redis.server.url, prefix, log: vi.fn() });
    cleanups.push(() => late.close());
    await late.ready;
    for (const store of [b!.store, late]) {
      const cooldowns = store.read('primary').modelCooldowns;
      expect(Object.getPrototypeOf(cooldowns)).toBeNull();
      for (const name of hostile) expect(Object.getOwnPropertyDescriptor(cooldowns, name)?.value).toBe(now + 60_000);
    }
    // Other models still route: nothing leaked onto a shared prototype.
    expect(availableFrom(late.read('primary'), 'gpt-4.1')).toBeLessThanOrEqual(now);
  });

  it('stores no upstream key in Redis when an upstream echoes it in its error code', async () => {
    const key = 'sk-fleet/Secret+0123456789';
    const primary = await startChaosUpstream({ name: 'primary', script: [{ fault: { type: 'status', status: 429, headers: { 'retry-after': '30' }, body: { error: { message: 'slow', code: `key_${key}_rejected` } } } }] });
    const prefix = `fleet-${(prefixNumber += 1)}:`;
    const store = createRedisStore({ url: redis.server.url, prefix, log: vi.fn() });
    await store.ready;
    const router = createRouter({ endpoints: [{ name: 'primary', baseUrl: primary.baseUrl, apiKey: key }] }, { store });
    cleanups.push(async () => {
      await Promise.all([store.close(), router.close()]);
      await primary.close();
    });
    const watcher = new Redis(redis.server.url);
    const published: string[] = [];
    watcher.on('message', (_channel: string, message: string) => published.push(message));
    await watcher.subscribe(redisKeys(prefix).channel);
    await router.send({ path: '/chat/completions', body }).catch(() => undefined);
    const reader = new Redis(redis.server.url);
    await vi.waitFor(async () => expect((await reader.hgetall(redisKeys(prefix).endpoint('primary'))).reason).toBeDefined(), { timeout: 5000 });
    await vi.waitFor(() => expect(published.length).toBeGreaterThan(0), { timeout: 5000 });
    const hash = await reader.hgetall(redisKeys(prefix).endpoint('primary'));
    expect(JSON.stringify(hash) + published.join('')).not.toContain(key);
    expect(hash.reason).toContain('[redacted]');
    watcher.disconnect();
    reader.disconnect();
  });
});
