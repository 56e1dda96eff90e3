// Attack 8 (helper): drives the real DetourStateObject inside workerd. Observations go to stdout as `OBS <tag> ...`.
import { env, runInDurableObject } from 'cloudflare:test';
import { createRouter, NoEndpointAvailableError } from '@detour/core';
import { chatCompletion, createFakeClock, createScriptedTransport } from '@detour/core/testing';
import { describe, it } from 'vitest';
import { createDurableObjectStore } from './durable-object-store';
import { DetourStateObject } from './detour-state-object';

const ns = env.DETOUR_STATE;
let n = 0;
const fresh = (tag: string) => `a8-${tag}-${(n += 1)}-${Math.random()}`;
const stubOf = (name: string) => ns.get(ns.idFromName(name) as never);
const op = async (name: string, operation: string, body: unknown, raw?: string) => {
  const started = Date.now();
  try {
    const response = await stubOf(name).fetch(`https://detour-state.internal/${operation}`, { method: 'POST', body: raw ?? JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, bytes: text.length, ms: Date.now() - started, text };
  } catch (error) {
    return { status: -1, bytes: 0, ms: Date.now() - started, text: `THREW ${String(error)}` };
  }
};
const obs = (tag: string, value: unknown) => console.log(`OBS ${tag} ${JSON.stringify(value)}`);
const short = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…(${text.length})` : text);
const storeFor = (name: string, clock = createFakeClock()) => createDurableObjectStore({ namespace: ns, name, clock, refreshMs: 1000 });
const refreshed = async (store: ReturnType<typeof storeFor>, clock: { advance(ms: number): void }, endpoint: string) => {
  clock.advance(1001);
  store.read(endpoint);
  await store.settled();
  return store.read(endpoint);
};
/** Runs the constructor again over the object's storage (what an eviction and the next request do). */
const restart = async (name: string) =>
  runInDurableObject(stubOf(name) as never, async (_instance: unknown, state: any) => {
    const again = new DetourStateObject(state);
    await state.blockConcurrencyWhile(async () => undefined);
    const response = await again.fetch(new Request('https://x/sync', { method: 'POST', body: JSON.stringify({ deposits: [], budget: undefined }) }));
    return (await response.text()).slice(0, 400);
  });

describe('R1: deadlines the object keeps', () => {
  it('one far-future cooldown in the object masks every later legitimate cooldown, across restarts', async () => {
    const name = fresh('r1');
    const clock = createFakeClock();
    const now = clock.now();
    // A member 2 days fast (or one bad value): 9e15 and now+2d.
    obs('R1.poison', short((await op(name, 'raise-deadline', { endpoint: 'primary', field: 'cooldown', until: now + 2 * 86_400_000, reason: 'x', now })).text));
    const [writer, reader] = [storeFor(name, clock), storeFor(name, clock)];
    writer.coolDown('primary', clock.now() + 20_000, undefined, 'rate limited', clock.now());
    await writer.settled();
    const seen = await refreshed(reader, clock, 'primary');
    obs('R1.reader-after-legit-20s-cooldown', { cooldownUntil: seen.cooldownUntil, expectedAtLeast: now + 20_000, sharedOff: seen.cooldownUntil < now + 20_000 });
    const writerView = writer.read('primary');
    obs('R1.writer-view', { cooldownUntil: writerView.cooldownUntil });
    obs('R1.after-restart', await restart(name));
  });

  it('a non-number until is kept as NaN and masks every later cooldown and disable', async () => {
    const name = fresh('r1nan');
    const clock = createFakeClock();
    const now = clock.now();
    obs('R1nan.poison-cooldown', short((await op(name, 'raise-deadline', { endpoint: 'primary', field: 'cooldown', until: 'soon', reason: 'x', now })).text));
    obs('R1nan.poison-disable', short((await op(name, 'raise-deadline', { endpoint: 'primary', field: 'disable', until: {}, reason: 'x', now })).text));
    const [writer, reader] = [storeFor(name, clock), storeFor(name, clock)];
    writer.coolDown('primary', now + 20_000, undefined, 'rate limited', now);
    writer.disable('primary', now + 60_000, 'auth');
    await writer.settled();
    const seen = await refreshed(reader, clock, 'primary');
    obs('R1nan.reader', { cooldownUntil: seen.cooldownUntil, disabledUntil: seen.disabledUntil });
    obs('R1nan.after-restart', await restart(name));
  });

  it('a disable longer than a day (disableMs allows 24.8 days) is never shared', async () => {
    const name = fresh('r1long');
    const clock = createFakeClock();
    const [writer, reader] = [storeFor(name, clock), storeFor(name, clock)];
    writer.disable('primary', clock.now() + 2 * 86_400_000, 'auth');
    await writer.settled();
    const seen = await refreshed(reader, clock, 'primary');
    obs('R1long.reader', { disabledUntil: seen.disabledUntil, writer: writer.read('primary').disabledUntil });
  });

  it('a breaker openUntil far ahead, or a NaN generation, sticks in the object', async () => {
    const name = fresh('r1brk');
    const clock = createFakeClock();
    const now = clock.now();
    obs('R1brk.poison', short((await op(name, 'transition', { endpoint: 'primary', breaker: { position: 'open', openUntil: 9e15, generation: 1e300, trips: 1 } })).text));
    const [reader] = [storeFor(name, clock)];
    const seen = await refreshed(reader, clock, 'primary');
    obs('R1brk.reader', seen.breaker);
    // A legitimate member now opens and closes the breaker normally: does the fleet follow?
    obs('R1brk.legit-open', short((await op(name, 'transition', { endpoint: 'primary', breaker: { position: 'open', openUntil: now + 5000, generation: 3, trips: 1 } })).text));
    obs('R1brk.legit-close', short((await op(name, 'transition', { endpoint: 'primary', breaker: { position: 'closed', openUntil: 0, generation: 4, trips: 1 } })).text));
  });

  it('a member whose clock runs ahead empties the fleet retry budget history (deposit start in the future)', async () => {
    const name = fresh('r1budget');
    const budget = { ratio: 0, minPerSecond: 0.1, ttlMs: 10_000 };
    const now = 1_000_000_000;
    // Fleet has spent its 1 retry for this window.
    obs('R1budget.spend1', (await op(name, 'spend-retry', { now, options: budget, deposits: [] })).text);
    obs('R1budget.spend2', (await op(name, 'spend-retry', { now, options: budget, deposits: [] })).text);
    // A member one hour fast deposits one request.
    await op(name, 'sync', { deposits: [[now + 3_600_000, 1]], budget });
    obs('R1budget.spend3-after-fast-member', (await op(name, 'spend-retry', { now, options: budget, deposits: [] })).text);
  });
});

describe('R2: waits on the object', () => {
  it('a request through the router waits on a hanging object past its deadline (probe slot)', async () => {
    const clock = createFakeClock();
    let calls = 0;
    const hanging = { idFromName: () => 'x', get: () => ({ fetch: () => { calls += 1; return new Promise<Response>(() => undefined); } }) };
    const store = createDurableObjectStore({ namespace: hanging, clock, refreshMs: 1000 });
    const breaker = { consecutiveFailures: 1, openMs: 1000 };
    const transport = createScriptedTransport({ a: [{ status: 500, body: { error: { message: 'boom' } } }, { body: chatCompletion('ok') }] }, { now: clock.now });
    const router = createRouter(
      { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], maxAttempts: 1, deadlineMs: 2000, breaker, admission: { enabled: false } },
      { transport, clock, sleep: clock.sleep, random: () => 0.5, store },
    );
    const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
    await router.send({ path: '/chat/completions', body }).catch(() => undefined);
    clock.advance(1500);
    const started = Date.now();
    const outcome = await Promise.race([
      router.send({ path: '/chat/completions', body }).then(() => 'served', (error: unknown) => `error ${(error as Error).name}`),
      new Promise((resolve) => setTimeout(() => resolve('STILL WAITING after 4000 ms real time'), 4000)),
    ]);
    obs('R2.probe', { outcome, realMs: Date.now() - started, objectCalls: calls, deadlineMs: 2000 });
    const settledRace = await Promise.race([store.settled().then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('settled() STILL WAITING after 1000 ms'), 1000))]);
    obs('R2.settled', settledRace);
  }, 20_000);

  it('a retry waits on a hanging object (spend-retry)', async () => {
    const clock = createFakeClock();
    const hanging = { idFromName: () => 'x', get: () => ({ fetch: () => new Promise<Response>(() => undefined) }) };
    const store = createDurableObjectStore({ namespace: hanging, clock, refreshMs: 1000 });
    const transport = createScriptedTransport({ a: [{ status: 503, body: { error: { message: 'boom' } } }], b: [{ body: chatCompletion('ok') }] }, { now: clock.now });
    const router = createRouter(
      { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', priority: 0 }, { name: 'b', baseUrl: 'https://b.example/v1', apiKey: 'sk-b', priority: 1 }], deadlineMs: 2000, admission: { enabled: false } },
      { transport, clock, sleep: clock.sleep, random: () => 0.5, store },
    );
    const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
    const started = Date.now();
    const outcome = await Promise.race([
      router.send({ path: '/chat/completions', body }).then(() => 'served', (error: unknown) => `error ${(error as Error).name}`),
      new Promise((resolve) => setTimeout(() => resolve('STILL WAITING after 4000 ms real time'), 4000)),
    ]);
    obs('R2.retry', { outcome, realMs: Date.now() - started, transportCalls: transport.calls.map((call) => call.request.endpoint) });
  }, 20_000);
});

describe('R3/R6: the quota ledger in the object', () => {
  it('4096 pairs of 250-character models: every exchange answers the whole ledger', async () => {
    const name = fresh('r3');
    const now = Date.now();
    const model = (index: number) => `${'m'.repeat(245)}${index}`.slice(-250);
    for (let batch = 0; batch < 8; batch += 1) {
      const report = Array.from({ length: 512 }, (_, index) => ({ endpoint: 'primary', model: model(batch * 512 + index), spent: { requests: 1, inputTokens: 100, outputTokens: 256 } }));
      await op(name, 'exchange-quota', { report, now });
    }
    const timings = [];
    for (let index = 0; index < 5; index += 1) {
      const answer = await op(name, 'exchange-quota', { report: [{ endpoint: 'primary', model: 'gpt-4.1', spent: { requests: 1 } }], now });
      timings.push({ ms: answer.ms, bytes: answer.bytes, pairs: (JSON.parse(answer.text) as unknown[]).length });
    }
    obs('R3.exchange-empty-report-after-flood', timings);
    const answer = JSON.parse((await op(name, 'exchange-quota', { report: [], now })).text) as { model?: string }[];
    obs('R3.position-of-gpt-4.1', answer.findIndex((share) => share.model === 'gpt-4.1'));
  }, 60_000);

  it('a real pair evicted by a flood comes back past position 1024: members stop adopting the fleet spend for it', async () => {
    const name = fresh('r3b');
    const clock = createFakeClock();
    const now = clock.now();
    await op(name, 'exchange-quota', { report: [{ endpoint: 'a', model: 'gpt-4.1', spent: { requests: 1 } }], now });
    for (let batch = 0; batch < 8; batch += 1) {
      const report = Array.from({ length: 512 }, (_, index) => ({ endpoint: 'a', model: `junk-${batch}-${index}`, spent: { requests: 1 } }));
      await op(name, 'exchange-quota', { report, now });
    }
    const answer = JSON.parse((await op(name, 'exchange-quota', { report: [{ endpoint: 'a', model: 'gpt-4.1', spent: { requests: 1 } }], now })).text) as { model?: string }[];
    obs('R3b.position', { position: answer.findIndex((share) => share.model === 'gpt-4.1'), pairs: answer.length });
    // Two routers with rpm 10 sharing the object: before the flood they refuse the 11th request together.
    const stores = [storeFor(name, clock), storeFor(name, clock)];
    const body = JSON.stringify({ model: 'gpt-4.1', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    const transport = createScriptedTransport({ a: [{ body: chatCompletion('hi') }] }, { now: clock.now });
    const routers = stores.map((store) =>
      createRouter(
        { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits: { rpm: 10 } }], admission: { maxQueueMs: 0, fleetSyncMs: 1 } },
        { transport, clock, sleep: clock.sleep, random: () => 0.5, store },
      ),
    );
    const send = async (index: number) => {
      clock.advance(1);
      const outcome = await routers[index]!.send({ path: '/chat/completions', body }).then(
        () => 'ok',
        (error: unknown) => (error instanceof NoEndpointAvailableError ? 'refused' : String(error)),
      );
      clock.advance(1);
      await Promise.all(stores.map((store) => store.settled()));
      return outcome;
    };
    const outcomes: string[] = [];
    for (let index = 0; index < 8; index += 1) outcomes.push(await send(0));
    for (let index = 0; index < 6; index += 1) outcomes.push(await send(1));
    obs('R3b.outcomes-rpm10-two-isolates', { outcomes, served: outcomes.filter((outcome) => outcome === 'ok').length });
  }, 60_000);

  it('invented model names through a router become ledger pairs (404 included)', async () => {
    const name = fresh('r3c');
    const clock = createFakeClock();
    const store = storeFor(name, clock);
    const transport = createScriptedTransport({ a: (request) => (String(request.body).includes('"gpt-4.1"') ? { body: chatCompletion('hi') } : { status: 404, body: { error: { message: 'The model does not exist', code: 'model_not_found' } } }) }, { now: clock.now });
    const router = createRouter(
      { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits: { rpm: 100000 } }], admission: { maxQueueMs: 0, fleetSyncMs: 1 } },
      { transport, clock, sleep: clock.sleep, random: () => 0.5, store },
    );
    for (let index = 0; index < 300; index += 1) {
      clock.advance(2);
      await router.send({ path: '/chat/completions', body: JSON.stringify({ model: `${'x'.repeat(240)}-${index}`, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) }).catch(() => undefined);
      clock.advance(2);
      await store.settled();
    }
    const answer = JSON.parse((await op(name, 'exchange-quota', { report: [], now: clock.now() })).text) as unknown[];
    obs('R3c.ledger-pairs-after-300-invented-404-models', { pairs: answer.length, bytes: JSON.stringify(answer).length });
    const states = JSON.parse((await op(name, 'sync', { deposits: [], budget: undefined })).text) as Record<string, { modelCooldowns: object }>;
    obs('R3c.model-cooldowns-in-object', Object.fromEntries(Object.entries(states).map(([endpoint, state]) => [endpoint, Object.keys(state.modelCooldowns).length])));
  }, 60_000);

  it('R6: a future-stamped reading wins the ledger and blocks newer ones', async () => {
    const name = fresh('r6');
    const now = Date.now();
    const observation = (remaining: number) => ({ requests: { limit: 100, remaining, resetMs: 60_000 } });
    await op(name, 'exchange-quota', { report: [{ endpoint: 'a', model: 'm', spent: {}, reading: { observation: observation(1), at: now + 3_600_000 } }], now: now + 3_600_000 });
    const answer = JSON.parse((await op(name, 'exchange-quota', { report: [{ endpoint: 'a', model: 'm', spent: {}, reading: { observation: observation(99), at: now + 1000 } }], now: now + 1000 })).text) as { reading?: { at: number; observation: unknown } }[];
    obs('R6.reading-the-fleet-gets', { at: answer[0]?.reading?.at, aheadOfNowMs: (answer[0]?.reading?.at ?? 0) - (now + 1000), observation: answer[0]?.reading?.observation });
  });
});

describe('R4: malformed requests and stored values', () => {
  it('each malformed request, then does a normal sync still work?', async () => {
    const name = fresh('r4');
    const cases: [string, string, unknown, string?][] = [
      ['not-json', 'sync', undefined, '{"deposits":'],
      ['null-body', 'sync', null],
      ['deposits-object', 'sync', { deposits: { a: 1 }, budget: { ratio: 0.1, minPerSecond: 1, ttlMs: 10000 } }],
      ['transition-null-breaker', 'transition', { endpoint: 'p', breaker: null }],
      ['transition-string-fields', 'transition', { endpoint: 'p', breaker: { position: 'open', openUntil: 'later', generation: 'x', trips: 'y' } }],
      ['take-probe-bad-options', 'take-probe', { endpoint: 'q', now: 1, options: null, breaker: { position: 'open', openUntil: 0, generation: 1, trips: 1 } }],
      ['release-probe-unknown', 'release-probe', { endpoint: 'zz' }],
      ['exchange-quota-null', 'exchange-quota', { report: null, now: 1 }],
      ['exchange-quota-share-null', 'exchange-quota', { report: [null], now: 1 }],
      ['exchange-quota-spent-null', 'exchange-quota', { report: [{ endpoint: 'a', model: 'm', spent: null }], now: 1 }],
      ['raise-deadline-model-object', 'raise-deadline', { endpoint: 'p', field: 'cooldown', model: { toString: 1 }, until: 5, reason: 'r', now: 1 }],
      ['raise-deadline-endpoint-3000', 'raise-deadline', { endpoint: 'e'.repeat(3000), field: 'cooldown', until: Date.now() + 1000, reason: 'r', now: 1 }],
      ['raise-deadline-no-endpoint', 'raise-deadline', { field: 'cooldown', until: Date.now() + 1000, reason: 'r', now: 1 }],
    ];
    for (const [tag, operation, body, raw] of cases) {
      const answer = await op(name, operation, body, raw);
      const after = await op(name, 'sync', { deposits: [], budget: undefined });
      obs(`R4.${tag}`, { status: answer.status, answer: short(answer.text), syncAfter: after.status, syncBytes: after.bytes });
    }
    const states = JSON.parse((await op(name, 'sync', { deposits: [], budget: undefined })).text) as Record<string, unknown>;
    obs('R4.final-state-keys', Object.keys(states).map((key) => key.slice(0, 20)));
    obs('R4.final-p', states['p']);
    obs('R4.after-restart', await restart(name).catch((error: unknown) => `RESTART THREW ${String(error)}`));
  }, 60_000);

  it('a huge deposit count blocks the object (CPU)', async () => {
    const name = fresh('r4cpu');
    const budget = { ratio: 0.1, minPerSecond: 1, ttlMs: 10_000 };
    const slow = op(name, 'sync', { deposits: [[1000, 3_000_000]], budget });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const other = await op(name, 'spend-retry', { now: 1000, options: budget, deposits: [] });
    obs('R4cpu.other-call-waited-ms', { ms: Date.now() - started, status: other.status });
    const done = await slow;
    obs('R4cpu.deposit-call', { ms: done.ms, status: done.status });
  }, 120_000);

  it('a stored value of another shape stops the constructor', async () => {
    const name = fresh('r4store');
    await op(name, 'raise-deadline', { endpoint: 'ok', field: 'cooldown', until: Date.now() + 60_000, reason: 'r', now: Date.now() });
    await runInDurableObject(stubOf(name) as never, async (_instance: unknown, state: any) => {
      await state.storage.put('endpoint:old', { cooldownUntil: 5 });
      await state.storage.put('endpoint:older', 'v0-string');
    });
    obs('R4store.restart', await restart(name).catch((error: unknown) => `RESTART THREW ${String(error)}`));
  });
});

describe('R7: endpoints nobody configured', () => {
  it('20,000 endpoint names: object storage and every sync grow without bound', async () => {
    const name = fresh('r7');
    const now = Date.now();
    for (let batch = 0; batch < 40; batch += 1) {
      await Promise.all(Array.from({ length: 500 }, (_, index) => op(name, 'raise-deadline', { endpoint: `ghost-${batch}-${index}`, field: 'cooldown', until: now + 1, reason: 'r', now })));
    }
    const timings = [];
    for (let index = 0; index < 3; index += 1) {
      const answer = await op(name, 'sync', { deposits: [], budget: undefined });
      timings.push({ ms: answer.ms, bytes: answer.bytes, endpoints: Object.keys(JSON.parse(answer.text)).length });
    }
    obs('R7.sync', timings);
    const stored = await runInDurableObject(stubOf(name) as never, async (_instance: unknown, state: any) => (await state.storage.list({ prefix: 'endpoint:' })).size);
    obs('R7.stored-keys', stored);
  }, 120_000);
});

describe('names and secrets', () => {
  it('__proto__ and constructor as endpoint names round-trip and survive a restart', async () => {
    const name = fresh('proto');
    const clock = createFakeClock();
    const [writer, reader] = [storeFor(name, clock), storeFor(name, clock)];
    for (const endpoint of ['__proto__', 'constructor', 'toString']) writer.coolDown(endpoint, clock.now() + 20_000, '__proto__', 'rate limited', clock.now());
    await writer.settled();
    await refreshed(reader, clock, 'x');
    obs('proto.reader', ['__proto__', 'constructor', 'toString'].map((endpoint) => [endpoint, reader.read(endpoint).modelCooldowns['__proto__'] ?? Object.getOwnPropertyDescriptor(reader.read(endpoint).modelCooldowns, '__proto__')?.value]));
    obs('proto.restart', await restart(name).catch((error: unknown) => `RESTART THREW ${String(error)}`));
  });

  it('what a member sends: a key in a reason is scrubbed before it leaves?', async () => {
    const name = fresh('secret');
    const clock = createFakeClock();
    const store = storeFor(name, clock);
    const key = 'sk-proj-SECRETKEY0123456789abcdefABCDEF';
    const transport = createScriptedTransport({ a: [{ status: 401, body: { error: { message: `Incorrect API key provided: ${key}`, code: `invalid_api_key ${key}` } } }] }, { now: clock.now });
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: key }], admission: { enabled: false } }, { transport, clock, sleep: clock.sleep, random: () => 0.5, store });
    await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) }).catch(() => undefined);
    await store.settled();
    const all = (await op(name, 'sync', { deposits: [], budget: undefined })).text;
    obs('secret.sync', { containsKey: all.includes('SECRETKEY'), text: short(all) });
  });
});
