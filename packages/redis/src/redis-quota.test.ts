import { createRouter, NoEndpointAvailableError } from '@detour/core';
import type { QuotaCursor } from '@detour/core/store';
import { chatCompletion, createFakeClock, createScriptedTransport } from '@detour/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientRedis, startRedis, type RedisServer } from '../test/redis-server';
import { Redis } from 'ioredis';
import { decodeQuotaLedger, encodeQuotaReport, maxLedgerPairs } from './quota-ledger';
import { createRedisStore, type RedisStore } from './redis-store';

// Issue 17, fleet-wide: two gateway instances, each with its own Redis store, hold one 10 rpm limit between them.

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.close();
});

const body = JSON.stringify({ model: 'gpt-4.1', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });

/**
 * The store, with the fleet exchanges its router starts in the background tracked, so the test waits for them to
 * land (and be adopted) instead of sleeping. The tracked promise's reaction is attached before the router's own, so
 * once every tracked promise has settled, the router has adopted each answer.
 */
const trackExchanges = (store: RedisStore) => {
  const inFlight = new Set<Promise<unknown>>();
  const exchange = store.exchangeQuota!.bind(store);
  const tracked = new Proxy(store, {
    get: (target, key, receiver) =>
      key !== 'exchangeQuota'
        ? Reflect.get(target, key, receiver)
        : (...args: Parameters<typeof exchange>) => {
          const answer = exchange(...args);
          const landed = Promise.resolve(answer).then(() => undefined, () => undefined);
          inFlight.add(landed);
          void landed.then(() => inFlight.delete(landed));
          return answer;
        },
  });
  const landed = async () => {
    while (inFlight.size > 0) await Promise.all(inFlight);
  };
  return { store: tracked, landed };
};

describe('quota through Redis', () => {
  it('encodes and decodes the ledger, hostile model names included', () => {
    const report = [{ endpoint: 'a', model: '__proto__|s|x', spent: { requests: 2, tokens: 30 }, reading: { observation: { requests: { remaining: 3, limit: 10, resetMs: 100 } }, at: 5 } }];
    const [pair, spent, reading, at] = JSON.parse(encodeQuotaReport(report))[0];
    const flat = [`${pair}|s|requests`, String(spent.requests), `${pair}|s|tokens`, String(spent.tokens), `${pair}|r`, reading, `${pair}|a`, String(at)];
    expect(decodeQuotaLedger(flat)).toEqual(report);
    expect(decodeQuotaLedger(['%E0%A4%A|s|requests', '1', 'x|s|requests', 'NaN'])).toEqual([{ endpoint: 'x', model: undefined, spent: {}, reading: undefined }]);
  });

  it('holds at most maxLedgerPairs pairs, forgetting the least recently reported first, fields and all', async () => {
    const prefix = `quota-bound-${Date.now()}:`;
    const store = createRedisStore({ url: server.url, prefix, redis: patientRedis });
    await store.ready;
    const inspect = new Redis(server.url);
    try {
      // Model names are callers' input: each new one is a new pair. One exchange with one old pair, then a flood.
      const share = (model: string) => ({ endpoint: 'a', model, spent: { requests: 1, tokens: 10 }, reading: { observation: { requests: { remaining: 5, limit: 10, resetMs: 1000 } }, at: 1 } });
      const cursor: QuotaCursor = {};
      await store.exchangeQuota!([share('old')], 0, cursor);
      const flood = Array.from({ length: maxLedgerPairs + 500 }, (_, index) => share(`m-${index}`));
      for (let start = 0; start < flood.length; start += 500) await store.exchangeQuota!(flood.slice(start, start + 500), 0, cursor);
      // An instance's later exchanges answer with what changed since its last: here, only the pair it reported.
      const answer = await store.exchangeQuota!([share('m-0')], 0, cursor);
      expect(answer.map((entry) => entry.model)).toEqual(['m-0']);
      // An instance's first exchange answers with the whole ledger.
      const joining = createRedisStore({ url: server.url, prefix, redis: patientRedis });
      await joining.ready;
      const whole = await Promise.resolve(joining.exchangeQuota!([], 0, {})).finally(() => joining.close());
      expect(whole.length).toBe(maxLedgerPairs);
      expect(whole.some((entry) => entry.model === 'old')).toBe(false);
      expect(whole.some((entry) => entry.model === `m-${flood.length - 1}`)).toBe(true);
      expect(await inspect.hlen(`{${prefix.slice(0, -1)}}:quota`)).toBe(maxLedgerPairs * 5);
      expect(await inspect.zcard(`{${prefix.slice(0, -1)}}:quota-pairs`)).toBe(maxLedgerPairs);
      expect(await inspect.pttl(`{${prefix.slice(0, -1)}}:quota-pairs`)).toBeGreaterThan(0);
    } finally {
      inspect.disconnect();
      await store.close();
    }
  });

  it('answers an exchange with the pairs reported since the last one, so 2,048 pairs of long names are not read back each time', async () => {
    // Attack 7, R3: with the ledger full of 250-character model names every exchange read back 2.2 MB.
    const prefix = `quota-delta-${Date.now()}:`;
    const [filler, quiet] = [0, 1].map(() => createRedisStore({ url: server.url, prefix, redis: patientRedis }));
    await Promise.all([filler!.ready, quiet!.ready]);
    try {
      const long = (index: number) => ({ endpoint: 'a', model: `${'m'.repeat(240)}-${index}`, spent: { requests: 1 } });
      const place: QuotaCursor = {};
      expect(await quiet!.exchangeQuota!([], 0, place)).toEqual([]);
      await filler!.exchangeQuota!(Array.from({ length: maxLedgerPairs }, (_, index) => long(index)), 0);
      expect(await quiet!.exchangeQuota!([], 0, place)).toHaveLength(maxLedgerPairs);
      await filler!.exchangeQuota!([long(7)], 0);
      const next = await quiet!.exchangeQuota!([], 0, place);
      expect(next).toEqual([{ ...long(7), spent: { requests: 2 }, reading: undefined, since: expect.any(Number) }]);
      expect(await quiet!.exchangeQuota!([], 0, place)).toEqual([]);
      // Without a cursor (or with another router's), the answer is every pair.
      expect(await quiet!.exchangeQuota!([], 0)).toHaveLength(maxLedgerPairs);
      expect(await quiet!.exchangeQuota!([], 0, {})).toHaveLength(maxLedgerPairs);
      // A cursor past every score (the server's clock stepped back, the ledger emptied) asks for everything.
      expect(await quiet!.exchangeQuota!([], 0, { position: String(Number(place.position) + 60_000_000) })).toHaveLength(maxLedgerPairs);
    } finally {
      await Promise.all([filler!.close(), quiet!.close()]);
    }
  });

  it('dates a pair new to the ledger now, over a date an earlier version\'s eviction left behind (rolling upgrade)', async () => {
    const prefix = `quota-orphan-${Date.now()}:`;
    const store = createRedisStore({ url: server.url, prefix, redis: patientRedis });
    const inspect = new Redis(server.url);
    await store.ready;
    try {
      const ledger = `{${prefix.slice(0, -1)}}:quota`;
      // An earlier version evicted the pair (its sorted-set entry and spend) but not the date it did not know of.
      await inspect.hset(ledger, 'a%00q|f', String(Date.now() - 86_400_000));
      const [share] = await store.exchangeQuota!([{ endpoint: 'a', model: 'q', spent: { requests: 1 } }], Date.now(), {});
      expect(Date.now() - share!.since!).toBeLessThan(5000);
    } finally {
      inspect.disconnect();
      await store.close();
    }
  });

  it('lets a newer reading replace one from a member whose clock runs an hour fast', async () => {
    // Attack 7, R6: the fast member's stamp won the ledger and blocked every newer reading for the length of its error.
    const prefix = `quota-skew-${Date.now()}:`;
    const fastClock = createFakeClock(Date.now() + 3_600_000);
    const soundClock = createFakeClock(Date.now());
    const fast = createRedisStore({ url: server.url, prefix, clock: fastClock, serverClock: true, redis: patientRedis });
    const sound = createRedisStore({ url: server.url, prefix, clock: soundClock, serverClock: true, redis: patientRedis });
    const inspect = new Redis(server.url);
    await Promise.all([fast.ready, sound.ready]);
    try {
      const reading = (remaining: number, at: number) => ({ observation: { requests: { remaining, limit: 10, resetMs: 60_000 } }, at });
      await fast.exchangeQuota!([{ endpoint: 'a', model: 'm', spent: {}, reading: reading(1, fastClock.now()) }], fastClock.now());
      soundClock.advance(50);
      await sound.exchangeQuota!([{ endpoint: 'a', model: 'm', spent: {}, reading: reading(9, soundClock.now()) }], soundClock.now());
      const [fresh] = await fast.exchangeQuota!([], fastClock.now());
      expect(fresh?.reading?.observation).toEqual(reading(9, 0).observation);
      // Stamped on the server's clock, about the fast member's now on its own.
      expect(Math.abs(fresh!.reading!.at - fastClock.now())).toBeLessThan(2000);
      // So is the date the ledger first heard of the pair, which a joining instance weighs the pair's total by.
      expect(Math.abs(fresh!.since! - fastClock.now())).toBeLessThan(2000);
      const [seconds] = await inspect.time();
      const stamps = Object.entries(await inspect.hgetall(`{${prefix.slice(0, -1)}}:quota`)).filter(([field]) => field.endsWith('|a'));
      for (const [, at] of stamps) expect(Number(at)).toBeLessThanOrEqual(Number(seconds) * 1000 + 1000);
    } finally {
      inspect.disconnect();
      await Promise.all([fast.close(), sound.close()]);
    }
  });

  it('two instances share spend, so together they stay within the limit once their exchanges land', async () => {
    const clock = createFakeClock(0);
    const prefix = `quota-${Date.now()}:`;
    const transport = createScriptedTransport({ a: [{ body: chatCompletion('hi') }] }, { now: clock.now });
    const stores = [0, 1].map(() => createRedisStore({ url: server.url, prefix, clock, redis: patientRedis }));
    await Promise.all(stores.map((store) => store.ready));
    const tracked = stores.map(trackExchanges);
    const [first, second] = tracked.map(({ store }) =>
      createRouter(
        { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits: { rpm: 10 } }], admission: { maxQueueMs: 0, fleetSyncMs: 1 } },
        { transport, clock, sleep: clock.sleep, random: () => 0.5, store },
      ),
    );
    const send = async (router: typeof first) => {
      clock.advance(1);
      const outcome = await router!.send({ path: '/chat/completions', body }).then(
        () => 'ok',
        (error: unknown) => (error instanceof NoEndpointAvailableError ? 'refused' : String(error)),
      );
      // Let the background exchanges with Redis land before the next request.
      await Promise.all(tracked.map(({ landed }) => landed()));
      return outcome;
    };
    try {
      const outcomes: string[] = [];
      for (let index = 0; index < 8; index += 1) outcomes.push(await send(first));
      for (let index = 0; index < 4; index += 1) outcomes.push(await send(second));
      // The second instance's first request goes before its first answer from Redis; from then on it knows.
      expect(outcomes).toEqual([...Array(10).fill('ok'), 'refused', 'refused']);
      expect(transport.calls).toHaveLength(10);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
