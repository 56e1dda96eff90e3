import { env, runInDurableObject } from 'cloudflare:test';
import { fleetHorizonMs, type QuotaCursor, type RetryBudgetOptions } from '@detour/core/store';
import { createFakeClock } from '@detour/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { maxObjectEndpoints } from './detour-state-object';
import { createDurableObjectStore, objectCallTimeoutMs, type StateObjectNamespace } from './durable-object-store';
import { maxObjectLedgerPairs } from './object-quota-ledger';

// The DetourStateObject and its store when callers, storage or the object misbehave (the eighth attack's findings).

let objectNumber = 0;
const fresh = () => `faults-${(objectNumber += 1)}`;
const stubOf = (name: string) => env.DETOUR_STATE.get(env.DETOUR_STATE.idFromName(name) as never);
const operate = async (name: string, operation: string, body: unknown) => {
  const response = await stubOf(name).fetch(`https://detour-state.internal/${operation}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, body: response.ok ? await response.json() as Record<string, any> : await response.text() };
};
const budget: RetryBudgetOptions = { ratio: 0, minPerSecond: 0.1, ttlMs: 10_000 };

describe('the DetourStateObject beside values it did not write', () => {
  it('starts, and shares, with a stored state of another shape (attack 8, D1: it never started again)', async () => {
    const name = fresh();
    await operate(name, 'raise-deadline', { endpoint: 'ok', field: 'cooldown', until: Date.now() + 60_000, reason: 'r', now: Date.now() });
    await runInDurableObject(stubOf(name), async (_object, state) => {
      await state.storage.put('endpoint:old', { cooldownUntil: 5 });
      await state.storage.put('endpoint:odd', { cooldownUntil: 'soon', modelCooldowns: 7, breaker: { position: 'open', generation: 1e300, openUntil: 9e15 } });
      await state.storage.put('endpoint:far', { cooldownUntil: Date.now() + 2 * fleetHorizonMs, disabledUntil: Number.NaN });
    });
    await runInDurableObject(stubOf(name), async (_object, state) => state.abort('restart')).catch(() => undefined);
    const synced = await operate(name, 'sync', { deposits: [] });
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({
      ok: { reason: 'r' },
      old: { cooldownUntil: 5, disabledUntil: 0, modelCooldowns: {}, breaker: { position: 'closed' } },
      odd: { cooldownUntil: 0, breaker: { position: 'closed', generation: 0 } },
      far: { cooldownUntil: 0, disabledUntil: 0 },
    });
  });

  it('answers 400 to a request of the wrong shape, and goes on answering the rest', async () => {
    const name = fresh();
    const now = Date.now();
    for (const [operation, body] of [
      ['sync', null], ['sync', { deposits: 3 }], ['raise-deadline', { endpoint: 'a', field: 'cooldown', until: 'soon', reason: 'r', now }],
      ['raise-deadline', { endpoint: '', field: 'cooldown', until: now, reason: 'r', now }], ['raise-deadline', { endpoint: 'a', field: 'cooldown', model: { toString: 1 }, until: now, reason: 'r', now }],
      ['transition', { endpoint: 'a', breaker: null }], ['transition', { endpoint: 'a', breaker: { position: 'open', openUntil: now, generation: 2 ** 53, trips: 1 } }],
      ['take-probe', { endpoint: 'a', now, options: null, breaker: { position: 'open', openUntil: now, generation: 1, trips: 1 } }],
      ['exchange-quota', { report: 3, now }], ['spend-retry', { now, options: budget, deposits: [[now, -1]] }],
    ] as const) {
      expect([operation, (await operate(name, operation, body)).status]).toEqual([operation, 400]);
    }
    expect((await operate(name, 'sync', { deposits: [] })).status).toBe(200);
  });

  it('keeps no deadline past the fleet horizon, so a shorter real one is still shared (attack 8, D5)', async () => {
    const name = fresh();
    const now = Date.now();
    await operate(name, 'raise-deadline', { endpoint: 'a', field: 'cooldown', until: now + 2 * fleetHorizonMs, reason: 'far', now });
    await operate(name, 'transition', { endpoint: 'a', breaker: { position: 'open', openUntil: 9e15, generation: 5, trips: 1 } });
    const raised = await operate(name, 'raise-deadline', { endpoint: 'a', field: 'cooldown', until: now + 20_000, reason: 'rate limited', now });
    expect(raised.body).toMatchObject({ cooldownUntil: now + 20_000, reason: 'rate limited', breaker: { position: 'closed', generation: 0 } });
  });

  it(`keeps at most ${maxObjectEndpoints} endpoints, whatever names callers send (attack 8, D9)`, async () => {
    const name = fresh();
    const now = Date.now();
    await runInDurableObject(stubOf(name), async (_object, state) => {
      for (let index = 0; index < maxObjectEndpoints; index += 1) await state.storage.put(`endpoint:e-${index}`, { cooldownUntil: now + 60_000 });
    });
    await runInDurableObject(stubOf(name), async (_object, state) => state.abort('restart')).catch(() => undefined);
    expect((await operate(name, 'raise-deadline', { endpoint: 'one-more', field: 'cooldown', until: now + 60_000, reason: 'r', now })).status).toBe(400);
    expect((await operate(name, 'raise-deadline', { endpoint: 'e-7', field: 'cooldown', until: now + 90_000, reason: 'r', now })).status).toBe(200);
    // And through its operations alone, however many arrive at once.
    const other = fresh();
    const statuses = await Promise.all(Array.from({ length: maxObjectEndpoints + 200 }, (_, index) =>
      operate(other, 'raise-deadline', { endpoint: `ghost-${index}`, field: 'cooldown', until: now + 1, reason: 'r', now }).then(({ status }) => status)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(maxObjectEndpoints);
    expect(Object.keys((await operate(other, 'sync', { deposits: [] })).body)).toHaveLength(maxObjectEndpoints);
  });
});

describe('the DetourStateObject on its own clock', () => {
  it('keeps a fast member from resetting the fleet\'s retry budget (attack 8, D8)', async () => {
    const name = fresh();
    const now = Date.now();
    expect((await operate(name, 'spend-retry', { now, options: budget, deposits: [] })).body).toEqual({ allowed: true });
    expect((await operate(name, 'spend-retry', { now, options: budget, deposits: [] })).body).toEqual({ allowed: false });
    // An hour fast: its bucket would have expired every earlier one.
    await operate(name, 'sync', { deposits: [[now + 3_600_000, 1]], budget });
    expect((await operate(name, 'spend-retry', { now: now + 3_600_000, options: budget, deposits: [] })).body).toEqual({ allowed: false });
  });

  it('answers each isolate with the quota pairs reported since its last exchange, and holds no reading from the future (attack 8, D3, D4, D7)', async () => {
    const clock = createFakeClock(Date.now());
    const name = fresh();
    const [busy, quiet] = [0, 1].map(() => createDurableObjectStore({ namespace: env.DETOUR_STATE, name, clock }));
    const share = (model: string, requests = 1) => ({ endpoint: 'a', model, spent: { requests } });
    const [quietPlace, busyPlace]: QuotaCursor[] = [{}, {}];
    expect(await quiet!.exchangeQuota!([share('gpt-4.1')], clock.now(), quietPlace)).toHaveLength(1);
    // A flood of invented models: the pair in use is reported again meanwhile, and stays; the flood's oldest go.
    for (let batch = 0; batch < 3; batch += 1) {
      await busy!.exchangeQuota!(Array.from({ length: 500 }, (_, index) => share(`junk-${batch}-${index}`)), clock.now(), busyPlace);
      await quiet!.exchangeQuota!([share('gpt-4.1')], clock.now(), quietPlace);
    }
    const answer = await quiet!.exchangeQuota!([share('gpt-4.1')], clock.now(), quietPlace);
    expect(answer).toEqual([{ endpoint: 'a', model: 'gpt-4.1', spent: { requests: 5 }, since: expect.any(Number) }]);
    const joining = createDurableObjectStore({ namespace: env.DETOUR_STATE, name, clock });
    const whole = await joining.exchangeQuota!([], clock.now(), {});
    expect(whole).toHaveLength(maxObjectLedgerPairs);
    expect(whole.some((entry) => entry.model === 'gpt-4.1')).toBe(true);
    // A reading stamped an hour ahead is stamped with the object's now, so a newer one replaces it.
    const observation = (remaining: number) => ({ requests: { remaining, limit: 10, resetMs: 60_000 } });
    await busy!.exchangeQuota!([{ ...share('m', 0), reading: { observation: observation(1), at: Date.now() + 3_600_000 } }], clock.now(), busyPlace);
    const [fresher] = await busy!.exchangeQuota!([{ ...share('m', 0), reading: { observation: observation(9), at: Date.now() + 1 } }], clock.now(), busyPlace);
    expect(fresher?.reading?.observation).toEqual(observation(9));
  });
});

describe('the Durable Object store when the object is slow or failing', () => {
  /** A namespace whose object answers as `answer` says: a Response, a rejection, or never. */
  const namespaceThat = (answer: (operation: string, body: any) => Promise<Response>) => {
    const bodies: { operation: string; body: any }[] = [];
    const namespace: StateObjectNamespace = {
      idFromName: () => 'id',
      get: () => ({
        fetch: (input: string, init?: RequestInit) => {
          const operation = new URL(input).pathname.slice(1);
          const body = JSON.parse(String(init?.body));
          bodies.push({ operation, body });
          return answer(operation, body);
        },
      }),
    };
    return { namespace, bodies };
  };

  it(`gives up on a call after ${objectCallTimeoutMs} ms, so neither a request nor settled() waits forever (attack 8, D2)`, async () => {
    const clock = createFakeClock();
    const log = vi.fn();
    const { namespace } = namespaceThat(() => new Promise<Response>(() => undefined));
    const store = createDurableObjectStore({ namespace, clock, log });
    const retry = store.spendRetry(clock.now(), budget) as Promise<boolean>;
    const settled = store.settled();
    let answered: boolean | undefined;
    void retry.then((allowed) => {
      answered = allowed;
    });
    await vi.waitFor(() => {
      clock.advance(objectCallTimeoutMs);
      expect(answered).toBeDefined();
    });
    await settled;
    // The store fell back to its local budget, and said once that the object is away.
    expect(answered).toBe(true);
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toMatch(/the DetourStateObject "detour" is unavailable \(no answer to spend-retry within 1000 ms\)/);
  });

  it('logs one line per outage of the object, however many calls fail (attack 8, D12)', async () => {
    const clock = createFakeClock();
    const log = vi.fn();
    let failing = true;
    const { namespace } = namespaceThat(async (operation) => (failing ? new Response('broken', { status: 500 }) : Response.json(operation === 'sync' ? {} : { allowed: true })));
    const store = createDurableObjectStore({ namespace, clock, log });
    for (let call = 0; call < 5; call += 1) await store.spendRetry(clock.now(), budget);
    expect(log).toHaveBeenCalledTimes(1);
    failing = false;
    await store.spendRetry(clock.now(), budget);
    failing = true;
    await store.spendRetry(clock.now(), budget);
    expect(log).toHaveBeenCalledTimes(2);
  });

  it('keeps only the seconds the budget still counts for the next sync after a failed one (attack 8, D10)', async () => {
    const clock = createFakeClock();
    let failing = true;
    const { namespace, bodies } = namespaceThat(async () => (failing ? new Response('away', { status: 503 }) : Response.json({})));
    const store = createDurableObjectStore({ namespace, clock, refreshMs: 1000, log: () => undefined });
    // An hour of one request a second while the object is away.
    for (let second = 0; second < 3600; second += 1) {
      store.depositRequest(clock.now(), budget);
      store.read('a');
      await store.settled();
      clock.advance(1000);
    }
    failing = false;
    store.read('a');
    await store.settled();
    const last = bodies.filter(({ operation }) => operation === 'sync').at(-1)!;
    expect(last.body.deposits.length).toBeLessThanOrEqual(budget.ttlMs / 1000 + 1);
  });
});

