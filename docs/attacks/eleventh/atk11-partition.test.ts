import { createFakeClock } from '@detour/core/testing';
import { Redis, type RedisOptions } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { patientRedis, useRedisServer } from '../test/redis-server';
import { redisKeys } from './redis-keys';
import { createRedisStore } from './redis-store';

let prefixNumber = 0;
const redis = useRedisServer();
const { cleanups } = redis;
const options = {
  consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 5000,
  openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 1, probeTimeoutMs: 30_000,
};

/** A command connection that can be cut off (every script and pipeline rejects) while the TCP connection stays. */
const partitionable = (base: (url: string, o: RedisOptions) => Redis = patientRedis) => {
  const state = { cut: false };
  const factory = (url: string, o: RedisOptions) => {
    const client = base(url, o);
    if (o.maxRetriesPerRequest === null) return client; // the subscriber
    const define = client.defineCommand.bind(client);
    const commands = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    client.defineCommand = (name, definition) => {
      define(name, definition);
      const original = commands[name]!.bind(client);
      commands[name] = async (...args) => {
        if (state.cut) throw new Error('partitioned');
        return original(...args);
      };
    };
    const pipeline = client.pipeline.bind(client);
    client.pipeline = ((...args: Parameters<typeof pipeline>) => {
      const p = pipeline(...args);
      const exec = p.exec.bind(p);
      p.exec = (async (...a: Parameters<typeof exec>) => {
        if (state.cut) throw new Error('partitioned');
        return exec(...a);
      }) as typeof p.exec;
      return p;
    }) as typeof client.pipeline;
    return client;
  };
  return { state, factory };
};

const cycle = async (store: ReturnType<typeof createRedisStore>, clock: ReturnType<typeof createFakeClock>, outcome: 'success' | 'failure') => {
  const now = clock.now();
  const admission = await store.admit('primary', now, options);
  await store.recordResult('primary', { outcome, generation: admission.generation, probe: admission.probe, lease: admission.lease, now }, options);
};

describe('atk11 partition', () => {
  it('C: a close decided before a partition ended beats a fresher open from the fleet (generation counters diverge)', async () => {
    const prefix = `part-${(prefixNumber += 1)}:`;
    const keys = redisKeys(prefix);
    const clock = createFakeClock(Date.now());
    const p = partitionable();
    const a = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined, redis: p.factory });
    const b = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined, redis: patientRedis });
    cleanups.push(() => a.close(), () => b.close());
    await Promise.all([a.ready, b.ready]);
    const writer = new Redis(redis.server.url);
    cleanups.push(async () => writer.disconnect());

    // A is cut off from Redis (its own outage), and the endpoint flaps on A: open, probe ok, open, probe ok.
    p.state.cut = true;
    a.coolDown('other', clock.now() + 60_000, undefined, 'x', clock.now());
    await vi.waitFor(() => expect(a.connected).toBe(false));
    await cycle(a, clock, 'failure'); // open g1
    clock.advance(5001);
    await cycle(a, clock, 'success'); // closed g2
    await cycle(a, clock, 'failure'); // open g3
    clock.advance(10_001);
    await cycle(a, clock, 'success'); // closed g4
    console.log('C A local (closed, decided at t0+15 s):', JSON.stringify(a.read('primary').breaker));
    // Later, the provider goes down: B trips the breaker now (g1 in the fleet, which never saw A's flapping).
    clock.advance(20_000);
    await cycle(b, clock, 'failure');
    await vi.waitFor(async () => expect(await writer.hget(keys.endpoint('primary'), 'breakerPosition')).toBe('open'));
    console.log('C B local (open, decided at t0+35 s):', JSON.stringify(b.read('primary').breaker));
    // A's partition ends: its rejoin re-publishes its old close over B's newer open.
    p.state.cut = false;
    await vi.waitFor(async () => {
      clock.advance(1000);
      expect(a.connected).toBe(true);
    }, { timeout: 5000, interval: 20 });
    await vi.waitFor(() => expect(b.read('primary').breaker.position).toBe('closed'), { timeout: 3000 }).catch(() => undefined);
    console.log('C after A rejoined: redis', JSON.stringify(await writer.hgetall(keys.endpoint('primary'))), 'B local', JSON.stringify(b.read('primary').breaker));
    expect(b.read('primary').breaker.position).toBe('open');
  });

  it('R: retries spent while cut off are never counted in the fleet budget; the requests are', async () => {
    const prefix = `part-${(prefixNumber += 1)}:`;
    const clock = createFakeClock(Date.now() - (Date.now() % 1000) + 100);
    const budget = { ratio: 0.2, minPerSecond: 5, ttlMs: 10_000 };
    const p = partitionable();
    const a = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined, redis: p.factory });
    cleanups.push(() => a.close());
    await a.ready;
    p.state.cut = true;
    a.coolDown('other', clock.now() + 60_000, undefined, 'x', clock.now());
    await vi.waitFor(() => expect(a.connected).toBe(false));
    for (let i = 0; i < 100; i += 1) a.depositRequest(clock.now(), budget);
    let localRetries = 0;
    const t0 = clock.now();
    while (await a.spendRetry(clock.now(), budget)) localRetries += 1;
    p.state.cut = false;
    await vi.waitFor(async () => { clock.advance(100); expect(a.connected).toBe(true); }, { timeout: 5000, interval: 20 });
    await vi.waitFor(async () => { clock.advance(100); await new Promise((r) => setTimeout(r, 20)); }, { timeout: 300 }).catch(() => undefined);
    const b = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined, redis: patientRedis });
    cleanups.push(() => b.close());
    await b.ready;
    let fleetRetries = 0;
    while (fleetRetries < 1000 && (await b.spendRetry(clock.now(), budget))) fleetRetries += 1;
    console.log(`R budget floor 50 + 0.2 x 100 requests = 70 per 10 s window; retries A took while cut off: ${localRetries}; retries the fleet then allowed in the same window after A rejoined (${clock.now() - t0} ms later on the clock): ${fleetRetries}; total ${localRetries + fleetRetries}`);
    expect(localRetries + fleetRetries).toBeLessThanOrEqual(70);
  });

  it('M: an hour cut off keeps one pending budget bucket per second and flushes them all (even long-expired) on rejoin', async () => {
    const prefix = `part-${(prefixNumber += 1)}:`;
    const keys = redisKeys(prefix);
    const clock = createFakeClock(Date.now());
    const budget = { ratio: 0.2, minPerSecond: 5, ttlMs: 10_000 };
    const p = partitionable((url, o) => new Redis(url, o));
    const log = vi.fn();
    const a = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log, redis: p.factory });
    cleanups.push(() => a.close());
    await a.ready;
    const writer = new Redis(redis.server.url);
    cleanups.push(async () => writer.disconnect());
    let count = 0;
    const monitor = await writer.duplicate();
    cleanups.push(async () => monitor.disconnect());
    p.state.cut = true;
    a.coolDown('other', clock.now() + 60 * 60_000, undefined, 'x', clock.now());
    await vi.waitFor(() => expect(a.connected).toBe(false));
    const seconds = Number(process.env.ATK_OUTAGE_S ?? 3600);
    const t0 = clock.now();
    for (let s = 0; s < seconds; s += 1) a.depositRequest(t0 + s * 1000, budget);
    clock.advance(seconds * 1000);
    p.state.cut = false;
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const started = Date.now();
    const states: boolean[] = [];
    for (let i = 0; i < Number(process.env.ATK_RELOADS ?? 4); i += 1) {
      clock.advance(1000);
      await new Promise((r) => setTimeout(r, 400));
      states.push(a.connected);
      if (i === 0) count = (await writer.keys(`${keys.budgetRequests(0).replace(/0$/, '')}*`)).length;
    }
    console.log(`M outage of ${seconds} s: request-bucket keys written by the rejoin ${count}; connected after each reload ${JSON.stringify(states)}; lines ${log.mock.calls.length}; ${Date.now() - started} ms; max event-loop delay ${Math.round(lag.max / 1e6)} ms`);
    lag.disable();
    expect(count).toBeLessThanOrEqual(12);
  }, 20_000);

  it('Q: quota spend reported while cut off is dropped, not carried to the next exchange', async () => {
    const prefix = `part-${(prefixNumber += 1)}:`;
    const clock = createFakeClock(Date.now());
    const p = partitionable();
    const a = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined, redis: p.factory });
    const b = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined, redis: patientRedis });
    cleanups.push(() => a.close(), () => b.close());
    await Promise.all([a.ready, b.ready]);
    await a.exchangeQuota!([{ endpoint: 'primary', model: 'm', spent: { requests: 10 } }], clock.now());
    p.state.cut = true;
    a.coolDown('other', clock.now() + 60_000, undefined, 'x', clock.now());
    await vi.waitFor(() => expect(a.connected).toBe(false));
    const during = await a.exchangeQuota!([{ endpoint: 'primary', model: 'm', spent: { requests: 500 } }], clock.now());
    p.state.cut = false;
    await vi.waitFor(async () => { clock.advance(1000); expect(a.connected).toBe(true); }, { timeout: 5000, interval: 20 });
    const after = await a.exchangeQuota!([{ endpoint: 'primary', model: 'm', spent: { requests: 1 } }], clock.now());
    const seen = await b.exchangeQuota!([], clock.now());
    console.log(`Q answer while cut ${JSON.stringify(during)}; ledger total as B reads it after A rejoined: ${JSON.stringify(seen.map((s) => s.spent))} (A reported 10 + 500 + 1)`);
    expect(seen[0]?.spent.requests).toBe(511);
  });

  it('C2: an open decided while cut off (older, from failed probes) beats the fleet that kept serving, at any generation', async () => {
    const prefix = `part-${(prefixNumber += 1)}:`;
    const keys = redisKeys(prefix);
    const clock = createFakeClock(Date.now());
    const p = partitionable();
    const a = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined, redis: p.factory });
    const b = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined, redis: patientRedis });
    cleanups.push(() => a.close(), () => b.close());
    await Promise.all([a.ready, b.ready]);
    const writer = new Redis(redis.server.url);
    cleanups.push(async () => writer.disconnect());
    // Earlier the fleet saw one blip: open g1, then B's probe succeeded: closed g2, in Redis and on A.
    await cycle(b, clock, 'failure');
    clock.advance(5001);
    await cycle(b, clock, 'success');
    await vi.waitFor(() => expect(a.read('primary').breaker).toMatchObject({ position: 'closed', generation: 2 }));
    // A loses its network (Redis and the provider): open g3, probe fails g4, probe fails g5.
    p.state.cut = true;
    a.coolDown('other', clock.now() + 60_000, undefined, 'x', clock.now());
    await vi.waitFor(() => expect(a.connected).toBe(false));
    await cycle(a, clock, 'failure');
    clock.advance(5001); await cycle(a, clock, 'failure');
    clock.advance(10_001); await cycle(a, clock, 'failure');
    // B meanwhile serves the endpoint fine for a long time.
    for (let i = 0; i < 5; i += 1) { clock.advance(1000); await cycle(b, clock, 'success'); }
    const aBreaker = a.read('primary').breaker;
    console.log(`C2 A local: ${JSON.stringify({ ...aBreaker, window: undefined })}, open for ${aBreaker.openUntil - clock.now()} ms more; B local: ${b.read('primary').breaker.position} g${b.read('primary').breaker.generation}`);
    p.state.cut = false;
    await vi.waitFor(async () => { clock.advance(100); expect(a.connected).toBe(true); }, { timeout: 5000, interval: 20 });
    await vi.waitFor(() => expect(b.read('primary').breaker.position).toBe('open'), { timeout: 2000 }).catch(() => undefined);
    const bAdmit = await b.admit('primary', clock.now(), options);
    console.log(`C2 after A rejoined: redis ${JSON.stringify(await writer.hgetall(keys.endpoint('primary')))}; B breaker ${b.read('primary').breaker.position}, open for ${b.read('primary').breaker.openUntil - clock.now()} ms; B admits a request: ${bAdmit.admitted}`);
    expect(bAdmit.admitted).toBe(true);
  });
});
