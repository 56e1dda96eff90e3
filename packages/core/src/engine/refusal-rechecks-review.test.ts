import { describe, expect, it } from 'vitest';
import type { TransportRequest } from '../ports/transport';
import { createFakeClock, type FakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, requestText, type ScriptedReply, type ScriptedTransport } from '../testing/scripted-transport';
import { createRouter, type Router } from './router';

// The review of the growing holds and their rechecks (docs/attacks/twenty-fourth, "After: stop 67"): each test here
// failed on the commit it reviewed (38a33f1).

const minute = 60_000;
const spent: ScriptedReply = {
  status: 429,
  body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
};
const noAccess = (model: string): ScriptedReply => ({
  status: 403,
  body: { error: { message: `Project \`proj_abc\` does not have access to model \`${model}\``, type: 'invalid_request_error', param: null, code: 'model_not_found' } },
});
const served: ScriptedReply = { body: chatCompletion('ok') };
const serverError: ScriptedReply = { status: 500, body: { error: { message: 'The server had an error while processing your request.', type: 'server_error' } } };
const chat = (model = 'gpt-4.1') => ({ path: '/chat/completions', body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
const modelOf = (request: TransportRequest) => (JSON.parse(requestText(request)) as { model: string }).model;
const settle = async () => {
  for (let round = 0; round < 30; round += 1) await Promise.resolve();
};

type Handler = (request: TransportRequest) => ScriptedReply;
/** A router over `endpoints`; each endpoint's answer is `handlers[name]`; `gate(request)` may hold a request back. */
const build = (
  endpoints: { name: string; models?: string[] }[],
  handlers: Record<string, Handler>,
  opts: { clock?: FakeClock; gate?: (request: TransportRequest) => Promise<void> | undefined; options?: object } = {},
) => {
  const clock = opts.clock ?? createFakeClock();
  const scripted: ScriptedTransport = createScriptedTransport(
    Object.fromEntries(endpoints.map(({ name }) => [name, (request: TransportRequest) => handlers[name]!(request)])),
    { now: clock.now },
  );
  const calls: Record<string, number> = {};
  const transport = (async (request: TransportRequest, signal: Parameters<ScriptedTransport>[1]) => {
    calls[request.endpoint] = (calls[request.endpoint] ?? 0) + 1;
    const held = opts.gate?.(request);
    if (held) await held;
    return scripted(request, signal);
  }) as ScriptedTransport;
  const router: Router = createRouter(
    {
      endpoints: endpoints.map(({ name, models }, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, priority, ...(models ? { models } : {}) })),
      rescue: 'off',
      ...(opts.options ?? {}),
    } as never,
    { transport, clock, sleep: clock.sleep, random: () => 0 },
  );
  const disabledFor = async (name = 'a') => {
    const health = (await router.health()).find((endpoint) => endpoint.name === name)!;
    return health.disabledUntil > clock.now() ? health.disabledUntil - clock.now() : 0;
  };
  const send = (request: { path: string; body: string }) => router.send(request).then((result) => result.endpoint, () => 'failed');
  return { router, clock, calls: (name: string) => calls[name] ?? 0, disabledFor, send };
};

/** A latch: requests wait on `wait()` until `open()`. */
const latch = () => {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => promise, open: () => open() };
};

describe('growing holds, after their review', () => {
  it("keeps an endpoint's streak whatever models callers invent: their streaks are kept apart (R2)", async () => {
    const handlers = {
      a: () => spent,
      b: () => served,
      // c serves any model; the project has no access to invented ones (a per-model refusal).
      c: (request: TransportRequest) => (modelOf(request).startsWith('invented-') ? noAccess(modelOf(request)) : served),
    };
    const { clock, send, disabledFor } = build([{ name: 'a', models: ['gpt-4.1'] }, { name: 'b', models: ['gpt-4.1'] }, { name: 'c' }], handlers, {
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
    const { clock, send, calls, disabledFor } = build([{ name: 'a' }, { name: 'b' }], handlers, { gate });
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
    const { clock, send, calls, disabledFor } = build([{ name: 'a' }, { name: 'b' }], { a: () => (spentNow ? spent : served), b: () => served }, {
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
    const { clock, send, calls } = build([{ name: 'a', models: ['m1', 'm2'] }, { name: 'b', models: ['m1'] }], handlers, { gate });
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
    const { clock, send, disabledFor } = build([{ name: 'a' }, { name: 'b' }], { a: () => spent, b: () => served }, { gate });
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
    const { clock, send, calls } = build([{ name: 'a' }, { name: 'b' }], { a: () => (spentNow ? spent : served), b: () => (bDown ? busy : served) }, { gate });
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
