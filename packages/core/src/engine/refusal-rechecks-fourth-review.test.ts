import { describe, expect, it } from 'vitest';
import { isPaidRoute } from '../apis/replayable-request';
import type { StateStore } from '../ports/state-store';
import type { TransportRequest } from '../ports/transport';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock, type FakeClock } from '../testing/fake-clock';
import type { ScriptedReply } from '../testing/scripted-transport';
import { buildRouter, chat, latch, minute, served, serverError, settle, spent } from './held-endpoints.test-support';

// The fourth review of the growing holds and their rechecks (docs/attacks/twenty-fourth, "After: stop 67"): each test
// here but the first failed on the commit it reviewed (c4f68a8).

const limitedNow: ScriptedReply = { status: 429, headers: { 'retry-after': '30' }, body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } } };

/** `a` spent until its hold ran out, then topped up and its recheck held back; what the next request does is the test's. */
const afterRecheckStarted = async (options: object, b: () => ScriptedReply, store?: StateStore) => {
  const recheck = latch();
  let toA = 0;
  let spentNow = true;
  const gate = (request: TransportRequest) => (request.endpoint === 'a' && ++toA === 2 ? recheck.wait() : undefined);
  const built = buildRouter(['a', 'b'], { a: () => (spentNow ? spent : served), b }, { gate, options, ...(store ? { store } : {}) });
  expect(await built.send(chat())).toBe('b');
  built.clock.advance(5 * minute);
  spentNow = false;
  const first = built.send(chat());
  await settle();
  expect(built.calls('a')).toBe(2);
  return { ...built, first, releaseRecheck: () => recheck.open() };
};

describe('growing holds, after their fourth review', () => {
  it('sends every request somewhere when each endpoint that could take it is being rechecked: none is refused for holds that are over', async () => {
    const helds: (() => void)[] = [];
    let holding = false;
    const gate = () => (holding ? new Promise<void>((resolve) => helds.push(resolve)) : undefined);
    const { clock, send, calls } = buildRouter(['a', 'b'], { a: () => spent, b: () => spent }, { gate });
    expect(await send(chat())).toMatch(/^failed/);
    clock.advance(5 * minute);
    holding = true;
    const burst = Array.from({ length: 10 }, () => send(chat()));
    await settle();
    // One recheck of each, and the other eight sent to one of them rather than refused.
    expect(calls('a') - 1 + calls('b') - 1).toBe(10);
    expect(calls('a') - 1).toBe(1);
    holding = false;
    for (const resolve of helds.splice(0)) resolve();
    for (const result of await Promise.all(burst)) expect(result).not.toMatch(/no_endpoint_available/);
  });

  it('goes back to an endpoint it passed over at once when its other endpoint answers a 429, drawing nothing from the retry budget (T2)', async () => {
    let limited = false;
    const { send, first, releaseRecheck } = await afterRecheckStarted({ retryBudget: { ratio: 0, minPerSecond: 0 } }, () => (limited ? limitedNow : served));
    limited = true;
    const second = await send(chat());
    releaseRecheck();
    expect(await first).toBe('a');
    expect(second).toBe('a');
  });

  it('goes back to an endpoint it passed over with maxServerDelayMs under the recheck poll (T3)', async () => {
    let limited = false;
    const { send, first, releaseRecheck } = await afterRecheckStarted({ maxServerDelayMs: 100 }, () => (limited ? limitedNow : served));
    limited = true;
    const second = await send(chat());
    releaseRecheck();
    await first;
    expect(second).toBe('a');
  });

  it('goes to an endpoint it passed over when its other endpoint refuses it at admission, before any attempt (T4)', async () => {
    const inner = createMemoryStore();
    let refuseB = false;
    const store = Object.assign(Object.create(inner) as StateStore, {
      admit: (...args: Parameters<StateStore['admit']>) => {
        const admission = inner.admit(...args) as ReturnType<typeof inner.admit> & object;
        if (!refuseB || args[0] !== 'b') return admission;
        refuseB = false;
        return { ...admission, admitted: false };
      },
    });
    const { send, first, releaseRecheck } = await afterRecheckStarted({}, () => served, store);
    refuseB = true;
    const second = await send(chat());
    releaseRecheck();
    await first;
    expect(second).toBe('a');
  });

  it('reads a paid route by its path, not by what the caller put in its query (T5)', async () => {
    expect(isPaidRoute('/chat/completions?x=/cancel')).toBe(true);
    expect(isPaidRoute('/chat/completions?next=/moderations')).toBe(true);
    expect(isPaidRoute('/models/gemini-2.5-pro:generateContent?alt=sse&x=/count_tokens')).toBe(true);
    expect(isPaidRoute('/messages/count_tokens?beta=true')).toBe(false);
    const helds: (() => void)[] = [];
    let holding = false;
    const gate = (request: TransportRequest) => (holding && request.endpoint === 'a' ? new Promise<void>((resolve) => helds.push(resolve)) : undefined);
    const { clock, send, calls } = buildRouter(['a', 'b'], { a: () => spent, b: () => served }, { gate });
    const tricked = { path: '/chat/completions?return_to=/cancel', body: chat().body };
    expect(await send(chat())).toBe('b');
    clock.advance(5 * minute);
    holding = true;
    const burst = [send(tricked), send(tricked), send(tricked)];
    await settle();
    expect(calls('a') - 1).toBe(1);
    holding = false;
    for (const resolve of helds.splice(0)) resolve();
    expect(await Promise.all(burst)).toEqual(['b', 'b', 'b']);
  });

  describe('after the mend of T2: a backup that frees up before the next look is waited for (fifth review)', () => {
    const limitedFor = (seconds: string): ScriptedReply => ({
      status: 429, headers: { 'retry-after': seconds }, body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } },
    });
    /** `a` still spent when its hold runs out, its recheck held back; then requests one by one, `b` answering `first` to every other. */
    const oneByOne = async (first: ScriptedReply, options: object = {}) => {
      const recheck = latch();
      let toA = 0;
      const gate = (request: TransportRequest) => (request.endpoint === 'a' && ++toA === 2 ? recheck.wait() : undefined);
      let toB = 0;
      let burst = false;
      const built = buildRouter(['a', 'b'], { a: () => spent, b: () => (burst && ++toB % 2 === 1 ? first : served) }, { gate, options });
      expect(await built.send(chat())).toBe('b');
      built.clock.advance(5 * minute);
      const rechecking = built.send(chat());
      await settle();
      burst = true;
      const before = built.calls('a');
      const results: string[] = [];
      for (let index = 0; index < 5; index += 1) results.push(await built.send(chat()));
      const extraToA = built.calls('a') - before;
      recheck.open();
      await rechecking;
      return { results, extraToA };
    };

    it('after a 429 of 100 ms', async () => {
      expect(await oneByOne(limitedFor('0.1'))).toEqual({ results: ['b', 'b', 'b', 'b', 'b'], extraToA: 0 });
    });

    it('after a 500 and a backoff of 100 ms', async () => {
      expect((await oneByOne(serverError, { backoff: { jitter: 'none', baseMs: 100 } })).extraToA).toBe(0);
    });

    it('by a burst at once, with sleeps that overlap as real ones do', async () => {
      const held = latch();
      let holding = false;
      const gate = (request: TransportRequest) => (holding && request.endpoint === 'a' ? held.wait() : undefined);
      let limited = false;
      const fake = createFakeClock();
      const clock = { ...fake, sleep: (ms: number) => new Promise<void>((resolve) => fake.schedule(resolve, ms)) } as unknown as FakeClock;
      const built = buildRouter(['a', 'b'], { a: () => spent, b: () => (limited ? limitedFor('0.1') : served) }, { gate, clock });
      expect(await built.send(chat())).toBe('b');
      fake.advance(5 * minute);
      holding = true;
      const rechecking = built.send(chat());
      await settle();
      limited = true;
      const before = built.calls('a');
      const burst = Array.from({ length: 5 }, () => built.send(chat()));
      await settle();
      expect(built.calls('a') - before).toBe(0);
      limited = false;
      fake.advance(150);
      await settle();
      holding = false;
      held.open();
      expect(await Promise.all(burst)).toEqual(['b', 'b', 'b', 'b', 'b']);
      await rechecking;
    });
  });
});
