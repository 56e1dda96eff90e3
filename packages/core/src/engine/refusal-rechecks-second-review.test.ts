import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../state/memory-store';
import type { StateStore } from '../ports/state-store';
import type { TransportRequest } from '../ports/transport';
import { createFakeClock } from '../testing/fake-clock';
import type { ScriptedReply } from '../testing/scripted-transport';
import { buildRouter, chat, latch, minute, served, serverError, settle, spent } from './held-endpoints.test-support';

const image = () => ({ path: '/images/generations', body: JSON.stringify({ model: 'gpt-image-1', prompt: 'a cat' }) });
const imageServed: ScriptedReply = { body: { created: 0, data: [{ b64_json: 'AAAA' }] } };
// The second review of the growing holds and their rechecks (docs/attacks/twenty-fourth, "After: stop 67"): each test
// here failed on the commit it reviewed (5167d2b).

describe('growing holds, after their second review', () => {
  it('settles a recheck and ends a streak with an answer on any route the provider bills (/images/generations): the endpoint is not left gated (S1)', async () => {
    let spentNow = true;
    let holding = false;
    let held = latch();
    const gate = (request: TransportRequest) => (holding && request.endpoint === 'a' ? held.wait() : undefined);
    const { clock, send, calls, disabledFor } = buildRouter(['a', 'b'], { a: () => (spentNow ? spent : imageServed), b: () => imageServed }, { gate });
    expect(await send(image())).toBe('b');
    expect(await disabledFor()).toBe(5 * minute);
    clock.advance(5 * minute);
    spentNow = false;
    // The balance is topped up: a serves ten images in a row.
    for (let index = 0; index < 10; index += 1) expect(await send(image())).toBe('a');
    // Still one at a time: of a burst of three, two are passed over to b.
    holding = true;
    held = latch();
    const before = calls('a');
    const burst = [send(image()), send(image()), send(image())];
    await settle();
    const reachedA = calls('a') - before;
    held.open();
    const who = await Promise.all(burst);
    holding = false;
    // And the streak was never ended: a refusal 10 min later holds 10 min, not 5.
    clock.advance(10 * minute);
    spentNow = true;
    await send(image());
    const hold = await disabledFor();
    expect({ reachedA, who, hold: hold / minute }).toEqual({ reachedA: 3, who: ['a', 'a', 'a'], hold: 5 });
  });

  it.each([
    ['/openai/deployments/prod/chat/completions?api-version=2024-10-21'],
    ['/v1beta/openai/chat/completions'],
    ['/models/gemini-2.5-pro:generateContent'],
  ])('settles a recheck with chat sent under a provider\'s prefix (%s) (S1)', async (path) => {
    let spentNow = true;
    let holding = false;
    let held = latch();
    const gate = (request: TransportRequest) => (holding && request.endpoint === 'a' ? held.wait() : undefined);
    const { clock, send, calls, disabledFor } = buildRouter(['a', 'b'], { a: () => (spentNow ? spent : served), b: () => served }, { gate });
    const request = { path, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };
    expect(await send(request)).toBe('b');
    expect(await disabledFor()).toBe(5 * minute);
    clock.advance(5 * minute);
    spentNow = false;
    for (let index = 0; index < 5; index += 1) expect(await send(request)).toBe('a');
    holding = true;
    held = latch();
    const before = calls('a');
    const burst = [send(request), send(request), send(request)];
    await settle();
    const reachedA = calls('a') - before;
    held.open();
    const who = await Promise.all(burst);
    expect({ reachedA, who }).toEqual({ reachedA: 3, who: ['a', 'a', 'a'] });
  });

  it('leaves the claim of the request that took a recheck over alone when the holder that outlived probeTimeoutMs answers (S4)', async () => {
    const helds: (() => void)[] = [];
    let holding = false;
    const gate = (request: TransportRequest) => (holding && request.endpoint === 'a' ? new Promise<void>((resolve) => helds.push(resolve)) : undefined);
    let answerA: ScriptedReply = spent;
    const { clock, send, calls } = buildRouter(['a', 'b'], { a: () => answerA, b: () => served }, { gate, options: { breaker: { probeTimeoutMs: 10_000 }, deadlineMs: 1_000_000 } });
    expect(await send(chat())).toBe('b');
    clock.advance(5 * minute);
    holding = true;
    const r1 = send(chat());
    await settle();
    expect(calls('a')).toBe(2);
    clock.advance(10_000);
    // r1's claim timed out: r2 takes the recheck over.
    const r2 = send(chat());
    await settle();
    expect(calls('a')).toBe(3);
    // r1 answers a 500: it ends its recheck... and r2's claim with it.
    answerA = serverError;
    holding = false;
    helds.shift()!();
    expect(await r1).toBe('b');
    holding = true;
    // r2 still rechecks a; r3 should go to b.
    const r3 = send(chat());
    await settle();
    const concurrentRechecks = calls('a') - 3;
    for (const resolve of helds.splice(0)) resolve();
    await Promise.all([r2, r3]);
    expect(concurrentRechecks).toBe(0);
  });

  it('frees the recheck claim when a store\'s admit throws on a request\'s first attempt (S5)', async () => {
    const inner = createMemoryStore();
    let failAdmit = false;
    const store = Object.assign(Object.create(inner) as StateStore, {
      admit: (...args: Parameters<StateStore['admit']>) => {
        if (failAdmit) {
          failAdmit = false;
          throw new Error('store down');
        }
        return inner.admit(...args);
      },
    });
    let spentNow = true;
    const { clock, send, calls } = buildRouter(['a', 'b'], { a: () => (spentNow ? spent : served), b: () => served }, { store });
    expect(await send(chat())).toBe('b');
    clock.advance(5 * minute);
    spentNow = false;
    failAdmit = true;
    expect(await send(chat())).toMatch(/^failed/);
    // Nobody rechecks a now; the next request should be the recheck.
    const before = calls('a');
    const next = await send(chat());
    expect({ next, toA: calls('a') - before }).toEqual({ next: 'a', toA: 1 });
  });

  it('does not count an endpoint passed over for a recheck as tried: coming back to it after another endpoint\'s 429 draws nothing from the retry budget (S2)', async () => {
    const recheck = latch();
    let toA = 0;
    let spentNow = true;
    let bSlow = false;
    const clock = createFakeClock();
    const gate = (request: TransportRequest) => {
      if (request.endpoint === 'a' && ++toA === 2) return recheck.wait();
      if (request.endpoint === 'b' && bSlow) {
        clock.advance(300);
        return undefined;
      }
      return undefined;
    };
    const limited: ScriptedReply = { status: 429, headers: { 'retry-after': '30' }, body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } } };
    const { send, calls } = buildRouter(['a', 'b'], { a: () => (spentNow ? spent : served), b: () => (bSlow ? limited : served) }, {
      clock, gate, options: { retryBudget: { ratio: 0, minPerSecond: 0 } },
    });
    expect(await send(chat())).toBe('b');
    clock.advance(5 * minute);
    spentNow = false;
    const first = send(chat());
    await settle();
    expect(calls('a')).toBe(2);
    bSlow = true;
    // Passed over (a is rechecked), b rate limits after 300 ms; a is free for a first attempt after a 429.
    const second = await send(chat());
    recheck.open();
    await first;
    expect(second).toBe('a');
  });

  it('does not wait for an endpoint being rechecked as a better tier (preferWaitMs): requests go to its backup (S3)', async () => {
    const recheck = latch();
    let toA = 0;
    let spentNow = true;
    const gate = (request: TransportRequest) => (request.endpoint === 'a' && ++toA === 2 ? recheck.wait() : undefined);
    const { clock, send } = buildRouter(['a', 'b'], { a: () => (spentNow ? spent : served), b: () => served }, { gate, options: { preferWaitMs: 5000 } });
    expect(await send(chat())).toBe('b');
    clock.advance(5 * minute);
    spentNow = false;
    const first = send(chat());
    await settle();
    const startedAt = clock.now();
    const sleepsBefore = clock.sleeps.length;
    expect(await send(chat())).toBe('b');
    const waited = clock.now() - startedAt;
    const sleeps = clock.sleeps.slice(sleepsBefore);
    recheck.open();
    await first;
    expect({ waited, polls: sleeps.length }).toEqual({ waited: 0, polls: 0 });
  });
});

describe('growing holds, after their second review: what held up', () => {
  it('frees the claim when the recheck holder\'s caller leaves', async () => {
    const helds: (() => void)[] = [];
    let holding = false;
    const gate = (request: TransportRequest) => (holding && request.endpoint === 'a' ? new Promise<void>((resolve) => helds.push(resolve)) : undefined);
    let spentNow = true;
    const { router, clock, calls } = buildRouter(['a', 'b'], { a: () => (spentNow ? spent : served), b: () => served }, { gate });
    const send = (signal?: AbortSignal) => router.send({ ...chat(), ...(signal ? { signal } : {}) } as never).then((r) => r.endpoint, () => 'failed');
    expect(await send()).toBe('b');
    clock.advance(5 * minute);
    spentNow = false;
    holding = true;
    const controller = new AbortController();
    const r1 = send(controller.signal);
    await settle();
    expect(calls('a')).toBe(2);
    controller.abort();
    for (const resolve of helds.splice(0)) resolve();
    expect(await r1).toBe('failed');
    const r2 = send();
    await settle();
    expect(calls('a')).toBe(3);
    for (const resolve of helds.splice(0)) resolve();
    holding = false;
    expect(await r2).toBe('a');
  });
});
