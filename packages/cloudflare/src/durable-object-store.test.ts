import { env } from 'cloudflare:test';
import { maxModelCooldowns, type BreakerOptions } from '@detour/core/store';
import { createRouter, NoEndpointAvailableError } from '@detour/core';
import { chatCompletion, createFakeClock, createScriptedTransport } from '@detour/core/testing';
import { describe, expect, it } from 'vitest';
import { createDurableObjectStore } from './durable-object-store';

const breakerOptions: BreakerOptions = {
  consecutiveFailures: 2, failureRate: 0.5, minimumVolume: 10, windowMs: 30_000, windowBuckets: 10, openMs: 5000,
  openMultiplier: 2, maxOpenMs: 60_000, halfOpenProbes: 1, probeTimeoutMs: 30_000,
};
let objectNumber = 0;
const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };

/** Stores of one fleet: each is one Worker isolate's view of the same object. */
const fleet = (count: number) => {
  const clock = createFakeClock();
  const name = `fleet-${(objectNumber += 1)}`;
  const stores = Array.from({ length: count }, () => createDurableObjectStore({ namespace: env.DETOUR_STATE, name, clock, refreshMs: 1000 }));
  return { clock, stores };
};

describe('the Durable Object store inside workerd', () => {
  it('shows a cooldown written through one instance to another after its refresh', async () => {
    const { clock, stores: [writer, reader] } = fleet(2);
    reader!.read('primary');
    await reader!.settled();

    writer!.coolDown('primary', clock.now() + 20_000, 'gpt-4.1', 'rate limited');
    expect(writer!.read('primary').modelCooldowns['gpt-4.1']).toBe(clock.now() + 20_000);
    await writer!.settled();
    // Within refreshMs the reader answers from its view without asking the object.
    expect(reader!.read('primary').modelCooldowns['gpt-4.1']).toBeUndefined();

    clock.advance(1000);
    reader!.read('primary');
    await reader!.settled();
    expect(reader!.read('primary')).toMatchObject({ modelCooldowns: { 'gpt-4.1': clock.now() + 19_000 }, reason: 'rate limited' });
  });

  it('keeps the later deadline when an earlier disable arrives after it', async () => {
    const { clock, stores: [first, second, reader] } = fleet(3);
    first!.disable('primary', clock.now() + 60_000, 'quota');
    await first!.settled();
    second!.disable('primary', clock.now() + 10_000, 'auth');
    await second!.settled();
    reader!.read('primary');
    await reader!.settled();
    expect(reader!.read('primary')).toMatchObject({ disabledUntil: clock.now() + 60_000, reason: 'quota' });
  });

  it('keeps each credential\'s disable: a key replaced under the same name is sent at once (attack 19, F1)', async () => {
    const { clock, stores: [old, rotated] } = fleet(2);
    const revoked = { status: 401, body: { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } } };
    const transport = createScriptedTransport({
      primary: (request) => (new Headers(request.headers as Record<string, string>).get('authorization') === 'Bearer sk-old' ? revoked : { body: chatCompletion('ok') }),
    });
    const router = (apiKey: string, store: typeof old) =>
      createRouter({ endpoints: [{ name: 'primary', baseUrl: 'https://primary.example/v1', apiKey }] }, { transport, clock, sleep: clock.sleep, store });
    const onOldKey = router('sk-old', old!);
    await expect(onOldKey.send(chat)).rejects.toThrow();
    await old!.settled();
    const onNewKey = router('sk-new', rotated!);
    rotated!.read('primary');
    await rotated!.settled();
    expect(rotated!.read('primary').disabledUntil).toBeGreaterThan(clock.now());
    expect((await onNewKey.send(chat)).status).toBe(200);
    await expect(onOldKey.send(chat)).rejects.toBeInstanceOf(NoEndpointAvailableError);
  });

  it('makes a breaker opened through one instance refuse attempts on another', async () => {
    const { clock, stores: [opener, other] } = fleet(2);
    const now = clock.now();
    for (let failure = 0; failure < 2; failure += 1) {
      const admission = await opener!.admit('primary', now, breakerOptions);
      await opener!.recordResult('primary', { outcome: 'failure', generation: admission.generation, probe: false, now }, breakerOptions);
    }
    expect(opener!.read('primary').breaker.position).toBe('open');
    await opener!.settled();

    other!.read('primary');
    await other!.settled();
    expect(other!.read('primary').breaker).toMatchObject({ position: 'open', openUntil: now + 5000 });
    expect(await other!.admit('primary', now + 1, breakerOptions)).toMatchObject({ admitted: false });
  });

  it('lets only halfOpenProbes probes through across instances once the breaker is due', async () => {
    const { clock, stores } = fleet(3);
    const [opener] = stores;
    const now = clock.now();
    for (let failure = 0; failure < 2; failure += 1) {
      const admission = await opener!.admit('primary', now, breakerOptions);
      await opener!.recordResult('primary', { outcome: 'failure', generation: admission.generation, probe: false, now }, breakerOptions);
    }
    await opener!.settled();
    await Promise.all(stores.map(async (store) => {
      store.read('primary');
      await store.settled();
    }));

    const due = now + 5000;
    const admissions = await Promise.all(stores.map((store) => store.admit('primary', due, breakerOptions)));
    expect(admissions.filter(({ admitted }) => admitted)).toHaveLength(1);
    expect(admissions.find(({ admitted }) => admitted)?.probe).toBe(true);
    // The refused instances mirror the taken slot, so they stop asking until it frees up.
    for (const [index, store] of stores.entries()) {
      if (!admissions[index]!.admitted) expect(store.read('primary').breaker.probes).toEqual([due]);
    }
  });

  it('closes the breaker for the fleet when the probe succeeds', async () => {
    const { clock, stores: [opener, other] } = fleet(2);
    const now = clock.now();
    for (let failure = 0; failure < 2; failure += 1) {
      const admission = await opener!.admit('primary', now, breakerOptions);
      await opener!.recordResult('primary', { outcome: 'failure', generation: admission.generation, probe: false, now }, breakerOptions);
    }
    const probe = await opener!.admit('primary', now + 5000, breakerOptions);
    expect(probe).toMatchObject({ admitted: true, probe: true });
    await opener!.recordResult('primary', { outcome: 'success', generation: probe.generation, probe: true, now: now + 5001 }, breakerOptions);
    await opener!.settled();

    other!.read('primary');
    await other!.settled();
    expect(other!.read('primary').breaker.position).toBe('closed');
  });

  it('bounds retries across instances by the shared budget', async () => {
    const { clock, stores: [first, second] } = fleet(2);
    const budget = { ratio: 0, minPerSecond: 0.2, ttlMs: 10_000 };
    expect(await first!.spendRetry(clock.now(), budget)).toBe(true);
    expect(await second!.spendRetry(clock.now(), budget)).toBe(true);
    expect(await first!.spendRetry(clock.now(), budget)).toBe(false);
  });
});

describe('per-model state in the Durable Object store', () => {
  it('drops expired model cooldowns and keeps at most maxModelCooldowns per endpoint', async () => {
    const { clock, stores: [writer, reader] } = fleet(2);
    writer!.coolDown('primary', clock.now() + 10, 'expires-soon', 'rate limited', clock.now());
    await writer!.settled();
    clock.advance(1000);
    writer!.coolDown('primary', clock.now() + 60_000, 'live', 'rate limited', clock.now());
    await writer!.settled();
    reader!.read('primary');
    await reader!.settled();
    expect(Object.keys(reader!.read('primary').modelCooldowns)).toEqual(['live']);
    clock.advance(1000);
    for (let index = 0; index < maxModelCooldowns + 44; index += 1) writer!.coolDown('primary', clock.now() + 60_000 + index, `m${index}`, 'rate limited', clock.now());
    await writer!.settled();
    reader!.read('primary');
    await reader!.settled();
    const cooldowns = reader!.read('primary').modelCooldowns;
    expect(Object.keys(cooldowns)).toHaveLength(maxModelCooldowns);
    expect(Object.keys(cooldowns)).not.toContain('expires-soon');
    expect(Object.keys(cooldowns)).toContain(`m${maxModelCooldowns + 43}`);
  });

  it('keeps __proto__ and constructor as ordinary model names across instances', async () => {
    const { clock, stores: [writer, reader] } = fleet(2);
    for (const name of ['__proto__', 'constructor']) writer!.coolDown('primary', clock.now() + 20_000, name, 'rate limited', clock.now());
    await writer!.settled();
    reader!.read('primary');
    await reader!.settled();
    const cooldowns = reader!.read('primary').modelCooldowns;
    expect(Object.getPrototypeOf(cooldowns)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(cooldowns, '__proto__')?.value).toBe(clock.now() + 20_000);
    expect(Object.getOwnPropertyDescriptor(cooldowns, 'constructor')?.value).toBe(clock.now() + 20_000);
  });
});

describe('admission through the Durable Object', () => {
  it('two isolates share spend, so together they stay within one limit once their exchanges land', async () => {
    const { clock, stores } = fleet(2);
    const body = JSON.stringify({ model: 'gpt-4.1', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    const transport = createScriptedTransport({ a: [{ body: chatCompletion('hi') }] }, { now: clock.now });
    const routers = stores.map((store) =>
      createRouter(
        { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits: { rpm: 10 } }], admission: { maxQueueMs: 0, fleetSyncMs: 1 } },
        { transport, clock, sleep: clock.sleep, random: () => 0.5, store: store! },
      ),
    );
    const send = async (index: number) => {
      clock.advance(1);
      const outcome = await routers[index]!.send({ path: '/chat/completions', body }).then(
        () => 'ok',
        (error: unknown) => (error instanceof NoEndpointAvailableError ? 'refused' : String(error)),
      );
      // The exchange runs in the background; let it land (and the trailing report fire) before the next request.
      clock.advance(1);
      await Promise.all(stores.map((store) => store!.settled()));
      return outcome;
    };
    const outcomes: string[] = [];
    for (let index = 0; index < 8; index += 1) outcomes.push(await send(0));
    for (let index = 0; index < 4; index += 1) outcomes.push(await send(1));
    expect(outcomes).toEqual([...Array(10).fill('ok'), 'refused', 'refused']);
  });
});

describe('the Durable Object protocol', () => {
  it('answers 404 to operations it does not have, including the names of Object.prototype', async () => {
    const object = env.DETOUR_STATE.get(env.DETOUR_STATE.idFromName(`protocol-${(objectNumber += 1)}`) as never);
    for (const operation of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', 'no-such-operation']) {
      const response = await object.fetch(`https://detour-state/${operation}`, { method: 'POST', body: '{"echo":1}' });
      expect({ operation, status: response.status, body: await response.text() }).toEqual({ operation, status: 404, body: 'unknown operation' });
    }
  });
});
