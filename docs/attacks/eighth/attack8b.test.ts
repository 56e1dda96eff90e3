// Attack 8 (helper), second round. Observations go to stdout as `OBS <tag> ...`.
import { env, runInDurableObject } from 'cloudflare:test';
import { createRouter, NoEndpointAvailableError } from '@detour/core';
import { chatCompletion, createFakeClock, createScriptedTransport } from '@detour/core/testing';
import { describe, it } from 'vitest';
import { createDurableObjectStore } from './durable-object-store';

const ns = env.DETOUR_STATE;
let n = 0;
const fresh = (tag: string) => `a8b-${tag}-${(n += 1)}-${Math.random()}`;
const stubOf = (name: string) => ns.get(ns.idFromName(name) as never);
const op = async (name: string, operation: string, body: unknown) => {
  try {
    const response = await stubOf(name).fetch(`https://detour-state.internal/${operation}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { status: -1, text: `THREW ${String(error)}` };
  }
};
const obs = (tag: string, value: unknown) => console.log(`OBS ${tag} ${JSON.stringify(value)}`);
const body = (model = 'gpt-4.1') => JSON.stringify({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });

describe('R2 with the real clock', () => {
  it('a half-open probe waits on a hanging object past deadlineMs', async () => {
    let calls = 0;
    const hanging = { idFromName: () => 'x', get: () => ({ fetch: () => { calls += 1; return new Promise<Response>(() => undefined); } }) };
    const store = createDurableObjectStore({ namespace: hanging, refreshMs: 1000 });
    const transport = createScriptedTransport({ a: [{ status: 500, body: { error: { message: 'boom' } } }, { body: chatCompletion('ok') }] });
    const router = createRouter(
      { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], maxAttempts: 1, deadlineMs: 1500, breaker: { consecutiveFailures: 1, openMs: 200 }, admission: { enabled: false } },
      { transport, store },
    );
    await router.send({ path: '/chat/completions', body: body() }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    const outcome = await Promise.race([
      router.send({ path: '/chat/completions', body: body() }).then(() => 'served', (error: unknown) => `error ${(error as Error).name}: ${(error as Error).message.slice(0, 80)}`),
      new Promise((resolve) => setTimeout(() => resolve('STILL WAITING after 5000 ms (deadlineMs 1500)'), 5000)),
    ]);
    obs('R2real.probe', { outcome, realMs: Date.now() - started, objectCalls: calls, upstreamCalls: transport.calls.length });
  }, 20_000);

  it('a retry waits on a hanging object past deadlineMs', async () => {
    const hanging = { idFromName: () => 'x', get: () => ({ fetch: () => new Promise<Response>(() => undefined) }) };
    const store = createDurableObjectStore({ namespace: hanging, refreshMs: 1000 });
    const transport = createScriptedTransport({ a: [{ status: 503, body: { error: { message: 'boom' } } }], b: [{ body: chatCompletion('ok') }] });
    const router = createRouter(
      { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', priority: 0 }, { name: 'b', baseUrl: 'https://b.example/v1', apiKey: 'sk-b', priority: 1 }], deadlineMs: 1500, admission: { enabled: false } },
      { transport, store },
    );
    const started = Date.now();
    const outcome = await Promise.race([
      router.send({ path: '/chat/completions', body: body() }).then(() => 'served', (error: unknown) => `error ${(error as Error).name}`),
      new Promise((resolve) => setTimeout(() => resolve('STILL WAITING after 5000 ms (deadlineMs 1500)'), 5000)),
    ]);
    obs('R2real.retry', { outcome, realMs: Date.now() - started, upstreamCalls: transport.calls.map((call) => call.request.endpoint) });
  }, 20_000);
});

describe('R4: the object itself, evicted with a stored value of another shape', () => {
  it('every later operation of the real object fails', async () => {
    const name = fresh('evict');
    await op(name, 'raise-deadline', { endpoint: 'ok', field: 'cooldown', until: Date.now() + 60_000, reason: 'r', now: Date.now() });
    const aborted = await runInDurableObject(stubOf(name) as never, async (_instance: unknown, state: any) => {
      await state.storage.put('endpoint:old', { cooldownUntil: 5 });
      try {
        state.abort('attack8: evict');
        return 'abort() returned';
      } catch (error) {
        return `abort threw ${String(error)}`;
      }
    }).catch((error: unknown) => `runInDurableObject threw ${String(error)}`);
    obs('R4evict.abort', aborted);
    const after = [];
    for (let index = 0; index < 3; index += 1) after.push(await op(name, 'sync', { deposits: [], budget: undefined }));
    obs('R4evict.after', after.map((answer) => ({ status: answer.status, text: answer.text.slice(0, 160) })));
    // A fleet store on this object: does a cooldown still reach a second isolate?
    const clock = createFakeClock();
    const [writer, reader] = [createDurableObjectStore({ namespace: ns, name, clock }), createDurableObjectStore({ namespace: ns, name, clock })];
    writer.coolDown('primary', clock.now() + 20_000, undefined, 'rate limited', clock.now());
    await writer.settled();
    clock.advance(1001);
    reader.read('primary');
    await reader.settled();
    obs('R4evict.reader-sees-cooldown', reader.read('primary').cooldownUntil > 0);
  });
});

describe('R3: eviction order vs the 1,024 pairs a member reads', () => {
  it('after 4096 junk pairs (no spend), the real pair is past 1024 and its fleet spend is not adopted', async () => {
    for (const flood of [false, true]) {
      const name = fresh(`order-${flood}`);
      const clock = createFakeClock();
      const now = clock.now();
      await op(name, 'exchange-quota', { report: [{ endpoint: 'a', model: 'gpt-4.1', spent: {} }], now });
      if (flood) {
        for (let batch = 0; batch < 8; batch += 1) {
          await op(name, 'exchange-quota', { report: Array.from({ length: 512 }, (_, index) => ({ endpoint: 'a', model: `junk-${batch}-${index}`, spent: {} })), now });
        }
      }
      const stores = [createDurableObjectStore({ namespace: ns, name, clock }), createDurableObjectStore({ namespace: ns, name, clock })];
      const transport = createScriptedTransport({ a: [{ body: chatCompletion('hi') }] }, { now: clock.now });
      const routers = stores.map((store) =>
        createRouter(
          { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits: { rpm: 10 } }], admission: { maxQueueMs: 0, fleetSyncMs: 1 } },
          { transport, clock, sleep: clock.sleep, random: () => 0.5, store },
        ),
      );
      const send = async (index: number) => {
        clock.advance(1);
        const outcome = await routers[index]!.send({ path: '/chat/completions', body: body() }).then(
          () => 'ok',
          (error: unknown) => (error instanceof NoEndpointAvailableError ? 'refused' : String(error)),
        );
        clock.advance(1);
        await Promise.all(stores.map((store) => store.settled()));
        return outcome;
      };
      // Both isolates exchange once first (their first answer is taken conservatively).
      const outcomes: string[] = [];
      for (let index = 0; index < 8; index += 1) outcomes.push(await send(0));
      for (let index = 0; index < 6; index += 1) outcomes.push(await send(1));
      const answer = JSON.parse((await op(name, 'exchange-quota', { report: [], now: clock.now() })).text) as { model?: string }[];
      obs(`R3order.flood=${flood}`, { served: outcomes.filter((outcome) => outcome === 'ok').length, limit: 10, outcomes: outcomes.join(','), position: answer.findIndex((share) => share.model === 'gpt-4.1') });
    }
  }, 60_000);

  it('a fresh isolate counts the fleet lifetime spend (an hour old) against its bucket', async () => {
    const name = fresh('lifetime');
    const clock = createFakeClock();
    const make = () => {
      const store = createDurableObjectStore({ namespace: ns, name, clock });
      const transport = createScriptedTransport({ a: [{ body: chatCompletion('hi') }] }, { now: clock.now });
      const router = createRouter(
        { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits: { rpm: 10 } }], admission: { maxQueueMs: 0, fleetSyncMs: 1 } },
        { transport, clock, sleep: clock.sleep, random: () => 0.5, store },
      );
      return { store, router };
    };
    const first = make();
    for (let index = 0; index < 60; index += 1) {
      clock.advance(6000);
      await first.router.send({ path: '/chat/completions', body: body() }).catch(() => undefined);
      await first.store.settled();
    }
    clock.advance(3_600_000);
    const late = make();
    const outcomes: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      clock.advance(1);
      outcomes.push(await late.router.send({ path: '/chat/completions', body: body() }).then(() => 'ok', (error: unknown) => (error instanceof NoEndpointAvailableError ? 'refused' : String(error))));
      clock.advance(1);
      await late.store.settled();
    }
    obs('lifetime.fresh-isolate-after-1h-idle-fleet', outcomes);
  }, 60_000);
});

describe('client store: deposits kept while the object fails', () => {
  it('pending deposits grow one entry per second of outage and all go in the first sync after', async () => {
    const clock = createFakeClock();
    let failing = true;
    let lastDeposits = 0;
    let lastBytes = 0;
    const namespace = {
      idFromName: () => 'x',
      get: () => ({
        fetch: async (_url: string, init?: RequestInit) => {
          if (failing) throw new Error('object unreachable');
          const parsed = JSON.parse(String(init?.body)) as { deposits?: unknown[] };
          lastDeposits = parsed.deposits?.length ?? 0;
          lastBytes = String(init?.body).length;
          return Response.json({});
        },
      }),
    };
    const store = createDurableObjectStore({ namespace, clock, refreshMs: 1000 });
    const budget = { ratio: 0.2, minPerSecond: 5, ttlMs: 10_000 };
    // 6 hours of outage, one request a second.
    for (let second = 0; second < 6 * 3600; second += 1) {
      clock.advance(1000);
      store.depositRequest(clock.now(), budget);
      store.read('a');
      if (second % 1000 === 0) await store.settled();
    }
    await store.settled();
    failing = false;
    clock.advance(1000);
    store.read('a');
    await store.settled();
    obs('pending.first-sync-after-6h-outage', { deposits: lastDeposits, bytes: lastBytes });
  }, 120_000);
});

describe('R4: a generation at 2^53', () => {
  it('stops every close from winning in the object', async () => {
    const name = fresh('gen');
    const now = Date.now();
    const big = 2 ** 53;
    await op(name, 'transition', { endpoint: 'p', breaker: { position: 'open', openUntil: now + 5000, generation: big, trips: 1 } });
    const close = await op(name, 'transition', { endpoint: 'p', breaker: { position: 'closed', openUntil: now + 5000, generation: big + 1, trips: 1 } });
    obs('gen.after-close-at-2^53+1', JSON.parse(close.text).breaker);
  });
});
