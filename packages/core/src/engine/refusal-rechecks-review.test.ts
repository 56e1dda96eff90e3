import { describe, expect, it } from 'vitest';
import type { TransportRequest } from '../ports/transport';
import type { ScriptedReply } from '../testing/scripted-transport';
import { buildRouter, chat, latch, minute, modelOf, noAccess, served, serverError, settle, spent } from './held-endpoints.test-support';

// The review of the growing holds and their rechecks (docs/attacks/twenty-fourth, "After: stop 67"): each test here
// failed on the commit it reviewed (38a33f1).


describe('growing holds, after their review', () => {
  it("keeps an endpoint's streak whatever models callers invent: their streaks are kept apart (R2)", async () => {
    const handlers = {
      a: () => spent,
      b: () => served,
      // c serves any model; the project has no access to invented ones (a per-model refusal).
      c: (request: TransportRequest) => (modelOf(request).startsWith('invented-') ? noAccess(modelOf(request)) : served),
    };
    const { clock, send, disabledFor } = buildRouter([{ name: 'a', models: ['gpt-4.1'] }, { name: 'b', models: ['gpt-4.1'] }, { name: 'c' }], handlers, {
      options: { cooldown: { disableMs: 3_600_000 } },
    });
    expect(await send(chat())).toBe('b');
    clock.advance(5 * minute);
    expect(await send(chat())).toBe('b');
    expect(await disabledFor()).toBe(10 * minute);
    for (let index = 0; index < 1100; index += 1) await send(chat(`invented-${index}`));
    clock.advance(10 * minute);
    expect(await send(chat())).toBe('b');
    expect(await disabledFor()).toBe(20 * minute);
  });

  it("is not ended, nor its recheck settled, by a free route's answer or a caller's fault: a spent balance answers those (R1)", async () => {
    const isFree = (request: TransportRequest) => request.url.includes('/responses/input_tokens');
    let holdA = false;
    let held = latch();
    const gate = (request: TransportRequest) => (holdA && request.endpoint === 'a' && !isFree(request) ? held.wait() : undefined);
    const handlers = {
      a: (request: TransportRequest) => (isFree(request) ? { body: { object: 'response.input_tokens', input_tokens: 3 } } : spent),
      b: () => served,
    };
    const { clock, send, calls, disabledFor } = buildRouter([{ name: 'a' }, { name: 'b' }], handlers, { gate });
    const count = { path: '/responses/input_tokens', body: JSON.stringify({ model: 'gpt-4.1', input: 'hi' }) };
    const holds: number[] = [];
    for (let lapse = 0; lapse < 4; lapse += 1) {
      expect(await send(chat())).toBe('b');
      holds.push((await disabledFor()) / minute);
      clock.advance(await disabledFor());
      expect(await send(count)).toBe('a');
    }
    expect(holds).toEqual([5, 10, 15, 15]);
    // The gate holds: one generation request rechecks, the others go to b.
    holdA = true;
    held = latch();
    const before = calls('a');
    const burst = [1, 2, 3, 4, 5].map(() => send(chat()));
    await settle();
    expect(calls('a') - before).toBe(1);
    held.open();
    expect(await Promise.all(burst)).toEqual(['b', 'b', 'b', 'b', 'b']);
  });

  it('is not ended by the answer to a request sent before the refusal, nor is a recheck in flight (R3)', async () => {
    const slow = latch();
    let first = true;
    let holdRecheck = false;
    const recheck = latch();
    const gate = (request: TransportRequest) => {
      if (request.endpoint !== 'a') return undefined;
      if (first) {
        first = false;
        return slow.wait();
      }
      return holdRecheck ? recheck.wait() : undefined;
    };
    let spentNow = false;
    const { clock, send, calls, disabledFor } = buildRouter([{ name: 'a' }, { name: 'b' }], { a: () => (spentNow ? spent : served), b: () => served }, {
      gate, options: { deadlineMs: 3_600_000 },
    });
    const longOne = send(chat());
    await settle();
    spentNow = true;
    expect(await send(chat())).toBe('b');
    clock.advance(5 * minute);
    holdRecheck = true;
    const rechecking = send(chat());
    await settle();
    expect(calls('a')).toBe(3);
    // The long generation accepted before the refusal finishes: it settles nothing.
    spentNow = false;
    slow.open();
    expect(await longOne).toBe('a');
    spentNow = true;
    const others = [1, 2, 3].map(() => send(chat()));
    await settle();
    expect(calls('a')).toBe(3);
    recheck.open();
    expect(await Promise.all([rechecking, ...others])).toEqual(['b', 'b', 'b', 'b']);
    expect(await disabledFor()).toBe(10 * minute);
  });

  it("is not freed by another request's answer: only the request that holds the recheck ends it (R5)", async () => {
    let holdRecheck = false;
    const held = latch();
    const gate = (request: TransportRequest) => (holdRecheck && request.endpoint === 'a' && modelOf(request) === 'm1' ? held.wait() : undefined);
    let spentNow = true;
    const handlers = { a: (request: TransportRequest) => (spentNow ? spent : modelOf(request) === 'm2' ? serverError : served), b: () => served };
    const { clock, send, calls } = buildRouter([{ name: 'a', models: ['m1', 'm2'] }, { name: 'b', models: ['m1'] }], handlers, { gate });
    expect(await send(chat('m1'))).toBe('b');
    clock.advance(5 * minute);
    spentNow = false;
    holdRecheck = true;
    const first = send(chat('m1'));
    await settle();
    expect(calls('a')).toBe(2);
    // m2 only a serves: sent all the same; its 500 leaves the m1 recheck's claim alone.
    await send(chat('m2'));
    const before = calls('a');
    expect(await send(chat('m1'))).toBe('b');
    expect(calls('a')).toBe(before);
    held.open();
    expect(await first).toBe('a');
  });

  it('does not slide for the refusal of a request that was already in flight (R7)', async () => {
    let count = 0;
    const late = latch();
    const gate = (request: TransportRequest) => (request.endpoint === 'a' && ++count === 1 ? late.wait() : undefined);
    const { clock, send, disabledFor } = buildRouter([{ name: 'a' }, { name: 'b' }], { a: () => spent, b: () => served }, { gate });
    const inFlight = send(chat());
    const first = send(chat());
    await settle();
    expect(await first).toBe('b');
    expect(await disabledFor()).toBe(5 * minute);
    clock.advance(2 * minute);
    late.open();
    expect(await inFlight).toBe('b');
    expect(await disabledFor()).toBe(3 * minute);
  });

  it('lets a request passed over for a recheck come back to the endpoint when its backup cannot take it (R6)', async () => {
    let toA = 0;
    const held = latch();
    // The first request to a after its hold ran out (the recheck) is held; the ones after it are not.
    const gate = (request: TransportRequest) => (request.endpoint === 'a' && ++toA === 2 ? held.wait() : undefined);
    let spentNow = true;
    let bDown = false;
    const busy: ScriptedReply = { status: 503, headers: { 'retry-after': '10' }, body: { error: { message: 'Service unavailable', type: 'server_error' } } };
    const { clock, send, calls } = buildRouter([{ name: 'a' }, { name: 'b' }], { a: () => (spentNow ? spent : served), b: () => (bDown ? busy : served) }, { gate });
    expect(await send(chat())).toBe('b');
    clock.advance(5 * minute);
    spentNow = false;
    bDown = true;
    const recheck = send(chat());
    await settle();
    // Passed over while the recheck runs, its backup busy for 10 s: it comes back to a after recheckPollMs.
    expect(await send(chat())).toBe('a');
    expect(calls('a')).toBe(3);
    held.open();
    expect(await recheck).toBe('a');
  });
});
