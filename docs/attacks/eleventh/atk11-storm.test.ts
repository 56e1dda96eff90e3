import { createFakeClock } from '@detour/core/testing';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { useRedisServer } from '../test/redis-server';
import { redisKeys } from './redis-keys';
import { createRedisStore } from './redis-store';

let prefixNumber = 0;
const redis = useRedisServer();
const { cleanups } = redis;
const lines = (log: ReturnType<typeof vi.fn>) => log.mock.calls.map(([l]) => String(l)).filter((l) => !l.includes("instance's clock"));

const ENDPOINTS = Number(process.env.ATK_ENDPOINTS ?? 20);
const MODELS = Number(process.env.ATK_MODELS ?? 256);

describe('atk11 storm', () => {
  it(`D: fleet state of ${ENDPOINTS} endpoints x ${MODELS} model cooldowns: does a (re)joining store ever get connected?`, async () => {
    const prefix = `storm-${(prefixNumber += 1)}:`;
    const keys = redisKeys(prefix);
    const writer = new Redis(redis.server.url);
    cleanups.push(async () => writer.disconnect());
    const until = String(Date.now() + 10 * 60_000);
    const p = writer.pipeline();
    for (let e = 0; e < ENDPOINTS; e += 1) {
      const fields: string[] = [];
      for (let m = 0; m < MODELS; m += 1) fields.push(`model:m-${m}`, until);
      p.hset(keys.endpoint(`ep-${e}`), ...fields, 'reason', 'rate limited');
      p.sadd(keys.endpoints, `ep-${e}`);
    }
    await p.exec();
    const clock = createFakeClock(Date.now());
    const log = vi.fn();
    // Default connection: the real 200 ms command timeout.
    const store = createRedisStore({ url: redis.server.url, prefix, clock, refreshMs: 1000, log });
    cleanups.push(() => store.close());
    const t0 = Date.now();
    await store.ready;
    console.log(`D ready after ${Date.now() - t0} ms: connected=${store.connected}, adopted model cooldowns on ep-0=${Object.keys(store.read('ep-0').modelCooldowns).length}, lines=${JSON.stringify(lines(log))}`);
    const states: boolean[] = [];
    for (let i = 0; i < 8; i += 1) {
      clock.advance(1000);
      await new Promise((r) => setTimeout(r, 700));
      states.push(store.connected);
    }
    console.log(`D connected after each of 8 reloads: ${JSON.stringify(states)}; log lines ${lines(log).length}`);
    expect(states.at(-1)).toBe(true);
  }, 30_000);
});
