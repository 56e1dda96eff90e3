import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import type { StateStore } from '../ports/state-store';
import { createPriceBook } from '../pricing/price-book';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';
import { breakerSchema } from '../options/router-options-schema';
import type { RouterEvent } from './events';
import { storeGraceMs } from './await-store';
import { createRouter } from './router';

// Defects found by the twenty-third attack (docs/attacks/twenty-third). Each test here failed on the code before its fix.

type CostRecord = Extract<RouterEvent, { type: 'cost-record' }>;

const routerOn = (reply: ScriptedReply) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport({ a: [reply] }, { now: clock.now, advance: clock.advance });
  const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], rescue: 'off' } as RouterOptionsInput, {
    transport, clock, sleep: clock.sleep, random: () => 0,
  });
  const costs: CostRecord[] = [];
  router.subscribe((event) => {
    if (event.type === 'cost-record') costs.push(event);
  });
  return { router, costs };
};

// A Responses request that names no model (a stored prompt chose it) is priced by the model its answer names.
const storedPrompt = { path: '/responses', body: JSON.stringify({ prompt: { id: 'pmpt_1' }, input: 'hi' }) };
const answer = (model: string) => ({ object: 'response', id: 'resp_1', status: 'completed', model, output: [], usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } });
const streamed = (model: string) => [
  `event: response.created\ndata: ${JSON.stringify({ type: 'response.created', response: { ...answer(model), status: 'in_progress', usage: null } })}\n\n`,
  `event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: answer(model) })}\n\n`,
];

describe('the twenty-third attack: an upstream that names a model no request could', () => {
  // Each name priced was a key of the price book's cache (1,000 of any length): an upstream answering with
  // megabyte-long names grew the gateway's heap by a gigabyte and killed it (F1).
  it('prices a JSON answer by the model it names only when that is a model name, not megabytes of one', async () => {
    const named = routerOn({ body: answer('gpt-4.1-2025-04-14') });
    await named.router.send(storedPrompt);
    expect(named.costs).toMatchObject([{ model: 'gpt-4.1-2025-04-14' }]);
    const absurd = routerOn({ body: answer(`gpt-4.1-${'x'.repeat(300)}`) });
    const served = await absurd.router.send(storedPrompt);
    expect(served.status).toBe(200);
    expect(absurd.costs).toEqual([]);
    expect(served.costUsd).toBeUndefined();
  });

  it('prices a Responses stream by the model it names only when that is a model name', async () => {
    for (const [model, priced] of [['gpt-4.1-2025-04-14', 1], [`gpt-4.1-${'x'.repeat(300)}`, 0]] as const) {
      const { router, costs } = routerOn({ headers: { 'content-type': 'text/event-stream' }, events: streamed(model) });
      const served = await router.send({ ...storedPrompt, body: JSON.stringify({ prompt: { id: 'pmpt_1' }, input: 'hi', stream: true }) });
      for await (const chunk of served.stream!) void chunk;
      expect(costs).toHaveLength(priced);
    }
  });

  it('still prices a name no request could carry when asked directly, by the prefix it begins with', () => {
    const book = createPriceBook();
    const long = `gpt-4.1-${'x'.repeat(1_000)}`;
    expect(book.priceOf(long)).toEqual(book.priceOf('gpt-4.1'));
    expect(book.priceOf(long)).toEqual(book.priceOf('gpt-4.1'));
  });
});

/**
 * A memory store each call of which goes through `around`, with its method's name, its arguments and the memory
 * store's own answer: the store a test makes hang, answer late or slowly.
 */
const storeAround = (around: (method: string, args: unknown[], answer: unknown) => unknown) => {
  const memory = createMemoryStore();
  const store = new Proxy(memory, {
    get: (target, key) => {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => around(String(key), args, (value as (...all: unknown[]) => unknown).apply(target, args));
    },
  }) as StateStore;
  return { store, memory };
};

/** A memory store whose `method` answers, while `hanging`, with a promise that settles only when the test says. */
const hangingStore = (method: keyof StateStore) => {
  const answers: (() => void)[] = [];
  const calls: string[] = [];
  const control = { hanging: true };
  const { store } = storeAround((key, _args, answer) => {
    calls.push(key);
    if (key !== method || !control.hanging) return answer;
    return new Promise((resolve) => answers.push(() => resolve(answer)));
  });
  return { store, calls, control, answerLate: () => answers.splice(0).forEach((answer) => answer()) };
};

const flush = async () => {
  for (let index = 0; index < 30; index += 1) await Promise.resolve();
};

/** The grace a store call still has once its request stopped waiting (see `awaitStore`), passed. */
const passGrace = async (clock: { advance(ms: number): void }) => {
  await flush();
  clock.advance(storeGraceMs);
  await flush();
};

const hungRouter = (method: keyof StateStore, options: Partial<RouterOptionsInput> = {}, replies: ScriptedReply[] = []) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport({ a: (_request, count) => replies[count - 1] ?? { body: chatCompletion('hi') } }, { now: clock.now, advance: clock.advance });
  const hung = hangingStore(method);
  const router = createRouter(
    { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], rescue: 'off', deadlineMs: 1_000, ...options } as RouterOptionsInput,
    { transport, clock, sleep: clock.sleep, random: () => 0, store: hung.store },
  );
  const ends: RouterEvent[] = [];
  router.subscribe((event) => {
    if (event.type === 'request-end') ends.push(event);
  });
  return { router, clock, ends, ...hung };
};

const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };
const settled = (promise: Promise<unknown>) => promise.then((value) => ({ value }), (error: { code?: string }) => ({ code: error.code }));

describe('the twenty-third attack: a store call that never answers (F2)', () => {
  // The engine awaited its store without a bound: a store (any `StateStore`: the port is public) whose call never
  // settled held its request past `deadlineMs`, its caller's abort and `shutDown()`, forever.
  for (const method of ['read', 'admit', 'recordResult', 'depositRequest'] as const) {
    it(`ends a request at its deadline when the store's ${method} never answers`, async () => {
      const { router, clock, ends } = hungRouter(method);
      const sent = settled(router.send(chat));
      await flush();
      clock.advance(1_000);
      await passGrace(clock);
      // recordResult hangs after the answer came: the attempt is recorded and the answer served all the same.
      expect(await sent).toMatchObject(method === 'recordResult' ? { value: { status: 200 } } : { code: 'deadline_exceeded' });
      expect(ends).toHaveLength(1);
    });
  }

  it("ends a request when its caller leaves, or at the router's shutdown, while the store does not answer", async () => {
    const left = hungRouter('read', { deadlineMs: 60_000 });
    const caller = new AbortController();
    const sent = settled(left.router.send({ ...chat, signal: caller.signal }));
    await flush();
    caller.abort();
    await passGrace(left.clock);
    expect(await sent).toEqual({ code: 'aborted' });
    const closing = hungRouter('read', { deadlineMs: 60_000 });
    const cut = settled(closing.router.send(chat));
    await flush();
    closing.router.shutDown();
    await passGrace(closing.clock);
    expect(await cut).toEqual({ code: 'router_closed' });
    expect(closing.ends).toMatchObject([{ type: 'request-end', code: 'router_closed' }]);
  });

  it('ends a retry at its deadline when the store does not answer for the retry budget', async () => {
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: [{ status: 503 }, { body: chatCompletion('hi') }], b: [{ status: 503 }] }, { now: clock.now, advance: clock.advance });
    const hung = hangingStore('spendRetry');
    const router = createRouter(
      { endpoints: ['a', 'b'].map((name) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}` })), rescue: 'off', deadlineMs: 1_000 } as RouterOptionsInput,
      { transport, clock, sleep: clock.sleep, random: () => 0, store: hung.store },
    );
    const sent = settled(router.send(chat));
    await flush();
    expect(hung.calls).toContain('spendRetry');
    clock.advance(1_000);
    await passGrace(clock);
    expect(await sent).toEqual({ code: 'deadline_exceeded' });
  });

  it('hands back a probe slot the store grants after the request stopped waiting for it', async () => {
    const { router, clock, control, answerLate } = hungRouter('admit', { maxAttempts: 1, breaker: { consecutiveFailures: 1, openMs: 100 } }, [{ status: 500 }]);
    control.hanging = false;
    // One failure opens the breaker; once its open time passes, the next admit is its one half-open probe.
    expect(await settled(router.send(chat))).toEqual({ code: 'attempts_exhausted' });
    clock.advance(200);
    control.hanging = true;
    const sent = settled(router.send(chat));
    await flush();
    clock.advance(1_000);
    await passGrace(clock);
    expect(await sent).toEqual({ code: 'deadline_exceeded' });
    answerLate();
    await flush();
    control.hanging = false;
    // The late admission's probe slot went back: the next request probes at once, where it found the slot taken
    // until `probeTimeoutMs`.
    expect(await settled(router.send(chat))).toMatchObject({ value: { status: 200 } });
  });
});

describe('the twenty-third attack: an error code no provider sends', () => {
  // The code is part of the attempt's reason, which the endpoint's cooldown keeps (in a shared store for the fleet),
  // the dashboard's timeline holds and events and spans carry: an upstream's 60 KB `code` was all of that.
  it('leaves a code longer than any label out of the reason, and keeps a real one', async () => {
    for (const [code, kept] of [['rate_limit_exceeded', true], ['x'.repeat(60_000), false]] as const) {
      const { router } = routerOn({ status: 429, headers: { 'retry-after': '30' }, body: { error: { message: 'slow down', type: 'requests', code } } });
      await settled(router.send(chat));
      const [health] = await router.health();
      // A 429 on one model cools that model on the endpoint, with its reason.
      expect(health!.modelCooldowns['gpt-4.1']).toBeGreaterThan(0);
      expect(health!.reason).toBe(kept ? `HTTP 429 rate_limited (${code})` : 'HTTP 429 rate_limited');
    }
  });
});

/** A memory store answering with promises (as Redis does); while `dark.on`, its methods in `hang` never answer. */
const darkStore = (hang: readonly (keyof StateStore)[], onCall?: (key: string, args: unknown[], dark: { on: boolean }) => void) => {
  const dark = { on: false };
  const { store, memory } = storeAround((key, args, answer) => {
    if (dark.on && hang.includes(key as keyof StateStore)) return new Promise(() => undefined);
    onCall?.(key, args, dark);
    return Promise.resolve(answer);
  });
  return { store, memory, dark };
};

describe('the twenty-third attack, its review: store waits the first fix left unbounded', () => {
  it('ends a continuation of a stored response it has not seen at its deadline when the store does not answer', async () => {
    const { router, clock, ends } = hungRouter('read');
    const sent = settled(router.send({ path: '/responses', body: JSON.stringify({ model: 'gpt-4.1', input: 'hi', previous_response_id: 'resp_abcdef123' }) }));
    await flush();
    clock.advance(1_000);
    await passGrace(clock);
    expect(await sent).toEqual({ code: 'deadline_exceeded' });
    expect(ends).toHaveLength(1);
  });

  it("ends a rescue when the store goes dark after granting the rescue's probe slot", async () => {
    const clock = createFakeClock();
    const identity = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1' };
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => JSON.stringify({ ...identity, choices: [{ index: 0, delta, finish_reason: finish }] });
    const events = [chunk({ role: 'assistant', content: '' }), ...Array.from({ length: 20 }, (_, index) => chunk({ content: ` t${index}` })), chunk({}, 'stop'), '[DONE]'];
    const scripts: Record<string, EndpointScript> = { a: [{ events, cut: { afterEvents: 5, mode: 'error' } }], b: [{ status: 500 }], c: [{ events }] };
    const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
    const breaker = { consecutiveFailures: 1, openMs: 100 };
    // The store stops answering `spendRetry` and `recordResult` once it has granted c's probe slot.
    const { store, memory } = darkStore(['spendRetry', 'recordResult'], (key, args, dark) => {
      if (key === 'admit' && args[0] === 'c') dark.on = true;
    });
    const router = createRouter(
      {
        endpoints: ['a', 'b', 'c'].map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, priority })),
        rescue: 'continue-or-replay', deadlineMs: 10_000, breaker,
      } as RouterOptionsInput,
      { transport, clock, sleep: clock.sleep, random: () => 0, store },
    );
    // c's breaker open, then half-open: its next admission is its probe.
    memory.recordResult('c', { outcome: 'failure', generation: 0, probe: false, now: clock.now() }, breakerSchema.parse(breaker) as never);
    clock.advance(200);
    const ends: RouterEvent[] = [];
    router.subscribe((event) => event.type === 'request-end' && ends.push(event));
    const served = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    const reading = (async () => {
      try {
        for await (const piece of served.stream!) void piece;
        return 'ended whole';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    })();
    for (let round = 0; round < 10; round += 1) await flush();
    clock.advance(20_000);
    // The probe's hand-back, asked once the deadline had passed, still has its grace.
    await passGrace(clock);
    // It waited for the hand-back without a bound: the stream, its request-end and `router.idle()` never came.
    expect(await reading).toBe('stream_interrupted');
    expect(ends).toHaveLength(1);
    await router.idle();
  });

  it('hands a probe slot back to an asynchronous store before the request ends at a shutdown', async () => {
    const clock = createFakeClock();
    const order: string[] = [];
    // Each answer a few turns of the event loop later, as a Redis round trip comes.
    const later = async <T>(value: T) => {
      for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
      return value;
    };
    const { store, memory } = storeAround((key, args, answer) => {
      const probe = key === 'recordResult' && (args[1] as { probe: boolean }).probe;
      // Shut down while the store answers b's admission (its probe slot).
      if (key === 'admit' && args[0] === 'b') queueMicrotask(() => router.shutDown());
      return later(answer).then((answered) => {
        if (probe) order.push('probe handed back');
        return answered;
      });
    });
    const transport = createScriptedTransport({ a: [{ status: 500 }], b: [{ body: chatCompletion('hi') }] }, { now: clock.now, advance: clock.advance });
    const breaker = { consecutiveFailures: 1, openMs: 100 };
    const router = createRouter(
      { endpoints: ['a', 'b'].map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, priority })), rescue: 'off', deadlineMs: 10_000, breaker } as RouterOptionsInput,
      { transport, clock, sleep: clock.sleep, random: () => 0, store },
    );
    memory.recordResult('b', { outcome: 'failure', generation: 0, probe: false, now: clock.now() }, breakerSchema.parse(breaker) as never);
    clock.advance(200);
    router.subscribe((event) => event.type === 'request-end' && order.push(`request-end ${event.code ?? 'ok'}`));
    expect(await settled(router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) }))).toEqual({ code: 'router_closed' });
    // The request ended before the store heard the hand-back: a drain could finish (and the process exit) first.
    expect(order).toEqual(['probe handed back', 'request-end router_closed']);
  });
});

/** A store every call of which answers `delayMs` later on the router's clock (a slow Redis, a custom store that does answer). */
const slowStore = (clock: { schedule(run: () => void, ms: number): unknown }, delayMs: number) =>
  storeAround((_key, _args, answer) => new Promise((resolve) => clock.schedule(() => resolve(answer), delayMs)));

/**
 * A router on one endpoint whose breaker is half-open (its next admission is its probe), over a store every call of
 * which takes 900 ms; `send` starts a request and records when (after its start) and how it settled.
 */
const slowProbeRouter = (deadlineMs: number) => {
  const clock = createFakeClock();
  const { store, memory } = slowStore(clock, 900);
  const admits: number[] = [];
  const admit = store.admit.bind(store);
  (store as { admit: typeof store.admit }).admit = (...args: Parameters<typeof store.admit>) => {
    admits.push(clock.now());
    return admit(...args);
  };
  const transport = createScriptedTransport({ a: [{ body: chatCompletion('hi') }] }, { now: clock.now, advance: clock.advance });
  const breaker = { consecutiveFailures: 1, openMs: 100 };
  const router = createRouter(
    { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], rescue: 'off', deadlineMs, breaker } as RouterOptionsInput,
    { transport, clock, sleep: clock.sleep, random: () => 0, store },
  );
  memory.recordResult('a', { outcome: 'failure', generation: 0, probe: false, now: clock.now() }, breakerSchema.parse(breaker) as never);
  clock.advance(200);
  const start = clock.now();
  const ended: { at?: number; code?: string } = {};
  router.send(chat).then(
    () => void (ended.code = 'served'),
    (error: { code?: string }) => void (ended.code = error.code),
  ).finally(() => void (ended.at = clock.now() - start));
  /** Runs the clock 50 ms at a time until the request settles (at most 6 s), calling `at` at each step. */
  const run = async (at: (elapsed: number) => void = () => undefined) => {
    for (let elapsed = 0; elapsed < 6000 && ended.at === undefined; elapsed += 50) {
      await flush();
      at(elapsed);
      clock.advance(50);
    }
    await flush();
  };
  return { router, clock, start, admits, ended, run };
};

describe('the twenty-third attack, its second review: a store that answers slowly', () => {
  // An answer in the grace was used as if the request still waited, and each later call got a fresh grace: a request
  // of a 1 s deadline settled at 3.6 s, and took a probe slot after its deadline.
  it('settles at its deadline when every store call takes 900 ms', async () => {
    const { ended, run } = slowProbeRouter(1_000);
    await run();
    expect(ended).toEqual({ code: 'deadline_exceeded', at: 1_000 });
  });

  it('asks the store for no admission after the shutdown, and ends within the grace', async () => {
    const { router, clock, start, admits, ended, run } = slowProbeRouter(60_000);
    let shutAt = Number.POSITIVE_INFINITY;
    await run((elapsed) => {
      if (elapsed !== 1000) return;
      router.shutDown();
      shutAt = clock.now() - start;
    });
    expect(ended.code).toBe('router_closed');
    expect(admits.filter((at) => at - start > shutAt)).toEqual([]);
    expect(ended.at! - shutAt).toBeLessThanOrEqual(storeGraceMs);
  });
});

/** Two routers on one store (a fleet's members) over one endpoint `a` answering by `script`; each records its breaker reports. */
const fleetOfTwo = (script: EndpointScript) => {
  const clock = createFakeClock();
  const store = createMemoryStore();
  const transport = createScriptedTransport({ a: script }, { now: clock.now, advance: clock.advance });
  const options = { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], rescue: 'off', breaker: { consecutiveFailures: 1, openMs: 100 } } as RouterOptionsInput;
  const member = () => {
    const router = createRouter(options, { transport, clock, sleep: clock.sleep, random: () => 0, store });
    const seen: string[] = [];
    router.subscribe((event: RouterEvent) => event.type === 'breaker-change' && seen.push(`${event.from}>${event.to}`));
    return { router, seen };
  };
  return { clock, store, a: member(), b: member() };
};

describe('the twenty-third attack, its third review: breaker reports in a fleet (two routers, one store)', () => {
  // Chaining every report from this router's last one (a mend of the second review) left a trip out when another
  // member had closed the breaker in between.
  it('router A reports its second trip after router B closed the breaker', async () => {
    // a fails, then answers (B's probe), then fails again.
    let calls = 0;
    const { clock, a, b } = fleetOfTwo(() => {
      calls += 1;
      return calls === 2 ? { body: chatCompletion('ok') } : { status: 500, body: { error: { message: 'x' } } };
    });
    await a.router.send(chat).catch(() => undefined); // trips: A reports closed>open
    clock.advance(200);
    await b.router.send(chat).catch(() => undefined); // B's probe closes it: B reports open>half_open, half_open>closed
    await a.router.send(chat).catch(() => undefined); // trips again: A must report it
    expect(calls).toBe(3);
    expect(a.seen.filter((change) => change.endsWith('>open'))).toHaveLength(2);
  });

  it('router A reports the trip its own cut stream caused after B closed the breaker', async () => {
    const events = Array.from({ length: 4 }, (_, i) => JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'gpt-4.1', choices: [{ index: 0, delta: { content: `w${i}` }, finish_reason: null }] }));
    // a streams and is cut later, fails a request (the trip), answers B's probe, then fails.
    let calls = 0;
    const { clock, store, a, b } = fleetOfTwo(() => {
      calls += 1;
      if (calls === 1) return { events, cut: { afterEvents: 2, mode: 'error' } };
      return calls === 3 ? { body: chatCompletion('ok') } : { status: 500, body: { error: { message: 'x' } } };
    });
    const streamed = await a.router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    const reader = streamed.stream![Symbol.asyncIterator]();
    await reader.next(); // the stream is under way
    await a.router.send(chat).catch(() => undefined); // A trips it: closed>open
    clock.advance(200);
    await b.router.send(chat).catch(() => undefined); // B's probe closes it
    try { for (;;) { const step = await reader.next(); if (step.done) break; } } catch { /* the cut */ }
    const after = store.read('a').breaker;
    expect(after.position).toBe('open');
    expect(a.seen.filter((change) => change.endsWith('>open'))).toHaveLength(2);
  });

  // The third review's mend took a new generation's `from` from the request's read, and a router that had reported
  // `closed → open` said nothing when it routed through another member's close: its dashboard showed the endpoint open.
  it("router A's reports end where the breaker is once A has routed through B's close (last review)", async () => {
    let calls = 0;
    const { clock, store, a, b } = fleetOfTwo(() => ((calls += 1) === 1 ? { status: 500, body: { error: { message: 'x' } } } : { body: chatCompletion('ok') }));
    await a.router.send(chat).catch(() => undefined); // A trips it: closed>open
    clock.advance(100);
    await b.router.send(chat); // B's probe closes it
    await a.router.send(chat);
    expect(a.seen.at(-1)).toBe('open>closed');
    expect(store.read('a').breaker.position).toBe('closed');
  });
});
