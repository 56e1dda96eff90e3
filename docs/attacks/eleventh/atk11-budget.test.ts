import { createFakeClock } from '@detour/core/testing';
import { Redis, type RedisOptions } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { patientRedis, useRedisServer } from '../test/redis-server';
import { redisKeys } from './redis-keys';
import { createRedisStore } from './redis-store';

let prefixNumber = 0;
const redis = useRedisServer();
const { cleanups } = redis;
const lines = (log: ReturnType<typeof vi.fn>) => log.mock.calls.map(([l]) => String(l)).filter((l) => !l.includes("instance's clock"));
const budget = { ratio: 0.2, minPerSecond: 5, ttlMs: 10_000 };
const options = {
  consecutiveFailures: 1, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 5000,
  openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 1, probeTimeoutMs: 30_000,
};

describe('atk11 budget/probe', () => {
  it('E: budget bucket keys of the wrong type (written ahead) keep every member in an outage while Redis works', async () => {
    const prefix = `bud-${(prefixNumber += 1)}:`;
    const keys = redisKeys(prefix);
    const clock = createFakeClock(Date.now());
    const writer = new Redis(redis.server.url);
    cleanups.push(async () => writer.disconnect());
    const start = clock.now() - (clock.now() % 1000);
    const p = writer.pipeline();
    for (let s = 0; s < Number(process.env.ATK_POISON ?? 30); s += 1) p.hset(keys.budgetRequests(start + s * 1000), 'x', '1');
    await p.exec();
    const log = vi.fn();
    const store = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log, redis: patientRedis });
    cleanups.push(() => store.close());
    await store.ready;
    const states: boolean[] = [];
    for (let second = 0; second < Number(process.env.ATK_SECONDS ?? 12); second += 1) {
      store.depositRequest(clock.now(), budget);
      clock.advance(1000);
      await new Promise((r) => setTimeout(r, 60));
      states.push(store.connected);
    }
    // Meanwhile Redis works: a cooldown is not shared either.
    store.coolDown('primary', clock.now() + 60_000, undefined, 'rate limited', clock.now());
    await new Promise((r) => setTimeout(r, 100));
    console.log(`E connected per second: ${JSON.stringify(states)}; lines ${JSON.stringify(lines(log))}; cooldown in redis: ${await writer.hget(keys.endpoint('primary'), 'cooldownUntil')}`);
    expect(states.at(-1)).toBe(true);
  }, 20_000);

  it('B2: a probe slot taken by a takeProbe call that timed out after the script ran is held for probeTimeoutMs', async () => {
    const prefix = `bud-${(prefixNumber += 1)}:`;
    const keys = redisKeys(prefix);
    let slow = false;
    const factory = (url: string, o: RedisOptions) => {
      const client = patientRedis(url, o);
      const define = client.defineCommand.bind(client);
      const commands = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      client.defineCommand = (name, definition) => {
        define(name, definition);
        if (name !== 'detourTakeProbe') return;
        const original = commands[name]!.bind(client);
        commands[name] = async (...args) => {
          const reply = await original(...args);
          if (slow) throw new Error('Command timed out'); // the reply came after the 200 ms timeout
          return reply;
        };
      };
      return client;
    };
    const clock = createFakeClock(Date.now());
    const a = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined, redis: factory });
    const b = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log: () => undefined, redis: patientRedis });
    cleanups.push(() => a.close(), () => b.close());
    await Promise.all([a.ready, b.ready]);
    const writer = new Redis(redis.server.url);
    cleanups.push(async () => writer.disconnect());
    let now = clock.now();
    const first = await a.admit('primary', now, options);
    await a.recordResult('primary', { outcome: 'failure', generation: first.generation, probe: false, now }, options);
    await vi.waitFor(async () => expect(await writer.hget(keys.endpoint('primary'), 'breakerPosition')).toBe('open'));
    await vi.waitFor(() => expect(b.read('primary').breaker.position).toBe('open'));
    clock.advance(5001);
    now = clock.now();
    slow = true;
    const probe = await a.admit('primary', now, options);
    slow = false;
    // A probes locally (no lease); its probe succeeds and closes the breaker... but say it hangs: B may not probe.
    const bAdmit = await b.admit('primary', now, options);
    console.log(`B2 a admitted=${probe.admitted} probe=${probe.probe} lease=${probe.lease}; redis probe set ${JSON.stringify(await writer.zrange(keys.probes('primary'), 0, -1))} pttl ${await writer.pttl(keys.probes('primary'))}; b admitted=${bAdmit.admitted}`);
    // A's local probe fails: reopen (open->open merge keeps the orphan lease)
    await a.recordResult('primary', { outcome: 'failure', generation: probe.generation, probe: probe.probe, lease: probe.lease, now }, options);
    await vi.waitFor(async () => expect(await writer.hget(keys.endpoint('primary'), 'breakerTrips')).toBe('2'));
    await new Promise((r) => setTimeout(r, 100));
    clock.advance(10_001);
    const aAgain = await a.admit('primary', clock.now(), options);
    const bAgain = await b.admit('primary', clock.now(), options);
    console.log(`B2 after reopen and openUntil passed: a admitted=${aAgain.admitted} b admitted=${bAgain.admitted}; probe set ${JSON.stringify(await writer.zrange(keys.probes('primary'), 0, -1))} pttl ${await writer.pttl(keys.probes('primary'))}`);
    expect(aAgain.admitted || bAgain.admitted).toBe(true);
  });
});
