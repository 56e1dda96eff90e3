import { maxModelCooldowns, mergeSharedBreaker, type SharedBreaker } from '@detour/core/store';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startRedis, type RedisServer } from '../test/redis-server';
import { readEndpointHash } from './endpoint-hash';
import { redisKeys } from './redis-keys';
import { defineDetourScripts, type DetourScripts } from './redis-scripts';

let server: RedisServer;
let client: Redis & DetourScripts;
let prefixNumber = 0;
let keys = redisKeys();

beforeAll(async () => {
  server = await startRedis();
  client = defineDetourScripts(new Redis(server.url));
});
afterAll(async () => {
  client.disconnect();
  await server.close();
});
beforeEach(() => {
  keys = redisKeys(`scripts-${(prefixNumber += 1)}:`);
});

const raise = (field: string, until: number, reason = 'test', now = 0) =>
  client.detourRaiseDeadline(keys.endpoint('primary'), keys.endpoints, 'primary', keys.channel, field, String(until), reason, String(now), String(maxModelCooldowns), '');

const transition = async (breaker: SharedBreaker): Promise<SharedBreaker> => {
  const [position, openUntil, generation, trips] = await client.detourTransition(
    keys.endpoint('primary'), keys.endpoints, keys.probes('primary'), 'primary', keys.channel,
    breaker.position, String(breaker.openUntil), String(breaker.generation), String(breaker.trips),
  );
  return { position: position as SharedBreaker['position'], openUntil: Number(openUntil), generation: Number(generation), trips: Number(trips) };
};

const stored = async () => readEndpointHash(await client.hgetall(keys.endpoint('primary')));

const open = (generation: number, openUntil: number, trips = 1): SharedBreaker => ({ position: 'open', openUntil, generation, trips });
const closed = (generation: number): SharedBreaker => ({ position: 'closed', openUntil: 0, generation, trips: 0 });

describe('the deadline script', () => {
  it('keeps the later cooldown when an earlier one arrives after it', async () => {
    expect(await raise('cooldownUntil', 5000, 'first')).toBe(1);
    expect(await raise('cooldownUntil', 3000, 'late')).toBe(0);
    expect(await stored()).toMatchObject({ cooldownUntil: 5000, reason: 'first' });
  });

  it('raises a deadline and its reason when the new one is later', async () => {
    await raise('disabledUntil', 5000, 'quota');
    await raise('disabledUntil', 9000, 'billing');
    expect(await stored()).toMatchObject({ disabledUntil: 9000, reason: 'billing' });
  });

  it('keeps per-model cooldowns apart from the endpoint-wide one', async () => {
    await raise('model:gpt-4.1', 7000);
    expect(await stored()).toMatchObject({ cooldownUntil: 0, modelCooldowns: { 'gpt-4.1': 7000 } });
  });

  it('publishes the changed fields after a change, and nothing when the deadline was not later', async () => {
    const subscriber = new Redis(server.url);
    const messages: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => messages.push(message));
    await subscriber.subscribe(keys.channel);
    await raise('cooldownUntil', 5000);
    await raise('cooldownUntil', 4000);
    await raise('disabledUntil', 6000);
    await expect.poll(() => messages.length).toBe(2);
    const last = JSON.parse(messages[1]!) as { endpoint: string; fields: string[] };
    expect(last.endpoint).toBe('primary');
    expect(readEndpointHash(last.fields)).toMatchObject({ cooldownUntil: 0, disabledUntil: 6000 });
    subscriber.disconnect();
  });

  it('drops expired model cooldowns and keeps at most maxModelCooldowns, the latest deadlines', async () => {
    await raise('model:expired', 1500, 'test', 1000);
    for (let index = 0; index < maxModelCooldowns + 50; index += 1) await raise(`model:m${index}`, 10_000 + index, 'test', 2000);
    const fields = Object.keys(await client.hgetall(keys.endpoint('primary')));
    const models = fields.filter((field) => field.startsWith('model:'));
    expect(models).toHaveLength(maxModelCooldowns);
    expect(models).not.toContain('model:expired');
    expect(models).not.toContain('model:m0');
    expect(models).toContain(`model:m${maxModelCooldowns + 49}`);
  });

  it('deletes expired model cooldowns on any write, also an endpoint-wide one or one that loses', async () => {
    await raise('model:expired', 1500, 'test', 1000);
    await raise('cooldownUntil', 5000, 'test', 1000);
    // A write that loses to a later deadline still prunes.
    await raise('cooldownUntil', 4000, 'test', 2000);
    expect(Object.keys(await client.hgetall(keys.endpoint('primary')))).not.toContain('model:expired');
    await raise('model:later', 9000, 'test', 2000);
    await raise('disabledUntil', 3000, 'test', 9500);
    expect(Object.keys(await client.hgetall(keys.endpoint('primary')))).not.toContain('model:later');
  });

  it('publishes one small delta per change however many models are cooling', async () => {
    const subscriber = new Redis(server.url);
    const sizes: number[] = [];
    subscriber.on('message', (_channel: string, message: string) => sizes.push(message.length));
    await subscriber.subscribe(keys.channel);
    for (let index = 0; index < 500; index += 1) await raise(`model:m${index}`, 10_000 + index, 'rate limited', 2000);
    await expect.poll(() => sizes.length).toBe(500);
    expect(Math.max(...sizes)).toBeLessThan(200);
    subscriber.disconnect();
  });

  it('keeps model names such as __proto__ and constructor as ordinary keys of a prototype-free map', async () => {
    for (const model of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) await raise(`model:${model}`, 9000, 'test', 1000);
    const state = await stored();
    expect(Object.getPrototypeOf(state.modelCooldowns)).toBeNull();
    expect(Object.keys(state.modelCooldowns).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    expect(Object.values(state.modelCooldowns)).toEqual([9000, 9000, 9000, 9000]);
  });

  it('writes no secret: only deadlines and reasons are stored', async () => {
    await raise('cooldownUntil', 5000);
    expect(Object.keys(await client.hgetall(keys.endpoint('primary')))).toEqual(['cooldownUntil', 'reason']);
  });
});

describe('the breaker transition script', () => {
  it('lets an open with a later deadline extend an open one', async () => {
    await transition(open(1, 5000));
    expect(await transition(open(1, 8000, 2))).toEqual(open(1, 8000, 2));
  });

  it('keeps the later deadline when an open with an earlier one arrives after it', async () => {
    await transition(open(1, 8000));
    expect(await transition(open(1, 5000))).toEqual(open(1, 8000));
  });

  it('lets a close from a newer generation replace an open', async () => {
    await transition(open(1, 8000));
    expect(await transition(closed(2))).toEqual(closed(2));
  });

  it('ignores a stale close from an older generation than the open', async () => {
    await transition(open(3, 8000, 2));
    expect(await transition(closed(2))).toEqual(open(3, 8000, 2));
  });

  it('keeps the open when an open and a close of the same generation race', async () => {
    await transition(open(2, 8000));
    expect(await transition(closed(2))).toEqual(open(2, 8000));
    await transition(closed(4));
    expect(await transition(open(4, 9000))).toEqual(open(4, 9000));
  });

  it('ignores a stale open from an older generation than the close', async () => {
    await transition(closed(5));
    expect(await transition(open(4, 9000))).toEqual(closed(5));
  });

  it('clears the probe slots when the position changes', async () => {
    await transition(open(1, 1000));
    await client.zadd(keys.probes('primary'), 1500, 'probe-1');
    await transition(closed(2));
    expect(await client.zcard(keys.probes('primary'))).toBe(0);
  });

  it('agrees with the merge each instance applies locally, whatever the order', async () => {
    const reports = [open(1, 5000), closed(2), open(2, 7000, 2), closed(1), open(3, 6000, 3), closed(3), closed(4)];
    for (const report of reports) {
      const before = (await stored()).breaker;
      expect(await transition(report)).toEqual(mergeSharedBreaker(before, report));
    }
  });
});

describe('the probe script', () => {
  const take = async (now: number, id: string, generation = 1, timeoutMs = 30_000) =>
    (await client.detourTakeProbe(keys.endpoint('primary'), keys.probes('primary'), String(now), '1', String(timeoutMs), id, String(generation)))[0];

  it('admits one probe at once fleet-wide once the open time is up, and refuses before', async () => {
    await transition(open(1, 1000));
    expect(await take(500, 'early')).toBe('open');
    expect(await take(1000, 'first')).toBe('admitted');
    expect(await take(1001, 'second')).toBe('full');
  });

  it('frees the slot of a probe that has not reported within the probe timeout, on the server clock', async () => {
    await transition(open(1, 1000));
    expect(await take(1000, 'hung', 1, 50)).toBe('admitted');
    // The lease runs out 50 ms after it was taken by Redis's clock: poll (bounded) rather than sleep.
    await vi.waitFor(async () => expect(await take(1000, 'next', 1, 50)).toBe('admitted'), { timeout: 5000, interval: 10 });
  });

  it('keeps a live lease whatever clock the caller reports', async () => {
    await transition(open(1, 1000));
    expect(await take(1000, 'first')).toBe('admitted');
    // A gateway whose clock runs a day ahead must not free a lease another gateway took a moment ago.
    expect(await take(1000 + 86_400_000, 'skewed')).toBe('full');
    const [, , , , , age] = await client.detourTakeProbe(keys.endpoint('primary'), keys.probes('primary'), '1000', '1', '30000', 'again', '1');
    expect(Number(age)).toBeGreaterThanOrEqual(0);
    expect(Number(age)).toBeLessThan(30_000);
  });

  it('reports a close from a newer generation instead of probing', async () => {
    await transition(closed(2));
    expect(await take(1000, 'stale', 1)).toBe('closed');
  });
});
