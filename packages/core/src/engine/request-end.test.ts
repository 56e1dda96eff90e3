import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import type { StateStore } from '../ports/state-store';
import type { Transport, TransportResponse } from '../ports/transport';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock, type FakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter, type RouteResult } from './router';

// Issue 13: every ending of a request goes through one door. Each case below drives one way a request can end
// and counts the `request-end` events it produced: exactly one, with the right `ok` and `code`, and nothing held
// afterwards (no pending attempt, no timer).

const endpoint = (name: string) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}` });
const chat = (extra: Record<string, unknown> = {}) => ({
  path: '/chat/completions',
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], ...extra }),
});
const delta = (text: string) => JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
const serverError = { status: 500, body: { error: { message: 'The server had an error', type: 'server_error' } } };

interface Harness {
  readonly clock: FakeClock;
  readonly events: RouterEvent[];
  readonly router: ReturnType<typeof createRouter>;
}

const harness = (
  transport: Transport,
  names: readonly string[],
  options: Partial<RouterOptionsInput> = {},
  store: StateStore = createMemoryStore(),
  clock = createFakeClock(),
): Harness => {
  const router = createRouter({ endpoints: names.map(endpoint), ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5, store });
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, events, router };
};

/** The same store answering every call with a promise, as Redis or a Durable Object would. */
const asynchronous = (store: StateStore): StateStore => ({
  read: (...args) => Promise.resolve().then(() => store.read(...args)),
  admit: (...args) => Promise.resolve().then(() => store.admit(...args)),
  recordResult: (...args) => Promise.resolve().then(() => store.recordResult(...args)),
  coolDown: (...args) => Promise.resolve().then(() => store.coolDown(...args)),
  disable: (...args) => Promise.resolve().then(() => store.disable(...args)),
  depositRequest: (...args) => Promise.resolve().then(() => store.depositRequest(...args)),
  spendRetry: (...args) => Promise.resolve().then(() => store.spendRetry(...args)),
});

// Every ending is driven twice: on the synchronous in-memory store (the engine then awaits only the transport) and
// on an asynchronous one (every store step is awaited), since the two take different branches through the steps.
const stores: [string, (store: StateStore) => StateStore][] = [
  ['a synchronous store', (store) => store],
  ['an asynchronous store', asynchronous],
];

const drain = async (stream: AsyncIterable<Uint8Array>) => {
  for await (const chunk of stream) void chunk;
};
const settled = async (promise: Promise<unknown>) => promise.then(() => undefined, () => undefined);
/** Lets promise chains that run off the caller's path (a timer's settlement) finish. */
const flush = async () => {
  for (let index = 0; index < 20; index += 1) await Promise.resolve();
};

const expectOneEnd = async ({ events, router, clock }: Harness, expected: { ok: boolean; code: string | undefined }) => {
  // The router counts the request as in flight until this one door: `idle()` (what a binding's close waits for).
  let idle = false;
  void router.idle().then(() => (idle = true));
  await flush();
  expect(idle).toBe(true);
  const ends = events.filter((event) => event.type === 'request-end');
  expect(ends).toEqual([expect.objectContaining(expected)]);
  for (const health of await router.health()) expect(health.pending).toBe(0);
  expect(clock.pendingTimers).toBe(0);
};

describe.each(stores)('request-end: exactly one per request, however it ends, on %s', (_, wrap) => {
  const scripted = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}, store: StateStore = createMemoryStore()) => {
    const clock = createFakeClock();
    return harness(createScriptedTransport(scripts, { now: clock.now, advance: clock.advance }), Object.keys(scripts), options, wrap(store), clock);
  };

  it('a JSON answer', async () => {
    const setup = scripted({ a: [{ body: chatCompletion('hi') }] });
    await setup.router.send(chat());
    await expectOneEnd(setup, { ok: true, code: undefined });
  });

  it('a stream read to its end', async () => {
    const setup = scripted({ a: [{ events: [delta('a'), delta('b'), '[DONE]'] }] });
    const { stream } = await setup.router.send(chat({ stream: true }));
    // Answered, not settled: the stream is still in flight until it ends.
    let idle = false;
    void setup.router.idle().then(() => (idle = true));
    await flush();
    expect(idle).toBe(false);
    await drain(stream!);
    await expectOneEnd(setup, { ok: true, code: undefined });
  });

  it('a stream the upstream cuts mid-way', async () => {
    const setup = scripted({ a: [{ events: [delta('a'), delta('b'), '[DONE]'], cut: { afterEvents: 2, mode: 'error' } }] });
    await settled(drain((await setup.router.send(chat({ stream: true }))).stream!));
    await expectOneEnd(setup, { ok: false, code: 'stream_interrupted' });
  });

  it('a stream that closes without its terminating event', async () => {
    const setup = scripted({ a: [{ events: [delta('a'), delta('b'), '[DONE]'], cut: { afterEvents: 2, mode: 'close' } }] });
    await settled(drain((await setup.router.send(chat({ stream: true }))).stream!));
    await expectOneEnd(setup, { ok: false, code: 'stream_interrupted' });
  });

  it('a stream that sends an error event after its first event', async () => {
    const setup = scripted({ a: [{ events: [delta('a'), JSON.stringify({ error: { message: 'overloaded' } })] }] });
    await settled(drain((await setup.router.send(chat({ stream: true }))).stream!));
    await expectOneEnd(setup, { ok: false, code: 'stream_interrupted' });
  });

  it('the caller aborting before any answer', async () => {
    const setup = scripted({ a: [{ hang: true }] });
    const controller = new AbortController();
    const pending = setup.router.send({ ...chat(), signal: controller.signal });
    await flush();
    controller.abort(new Error('the caller left'));
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    await expectOneEnd(setup, { ok: false, code: 'aborted' });
  });

  it('the caller cancelling a stream', async () => {
    const setup = scripted({ a: [{ events: [delta('a'), delta('b'), '[DONE]'] }] });
    const result: RouteResult = await setup.router.send(chat({ stream: true }));
    await result.stream!.next();
    result.cancel(new Error('enough'));
    await expectOneEnd(setup, { ok: false, code: 'client_closed' });
  });

  it('the caller aborting its signal mid-stream', async () => {
    const setup = scripted({ a: [{ events: [delta('a'), delta('b'), '[DONE]'] }] });
    const controller = new AbortController();
    const result = await setup.router.send({ ...chat({ stream: true }), signal: controller.signal });
    await result.stream!.next();
    controller.abort(new Error('the caller left'));
    await expectOneEnd(setup, { ok: false, code: 'client_closed' });
  });

  it('the caller that stops reading without a word', async () => {
    const setup = scripted({ a: [{ events: [delta('a'), delta('b'), '[DONE]'] }] }, { streamIdleTimeoutMs: 5000 });
    await setup.router.send(chat({ stream: true }));
    setup.clock.advance(5000);
    await expectOneEnd(setup, { ok: false, code: 'client_idle' });
  });

  it('the deadline passing before the first byte', async () => {
    const setup = scripted({ a: [{ hang: true }] }, { deadlineMs: 1000, maxAttempts: 1 });
    const pending = setup.router.send(chat({ stream: true }));
    await flush();
    setup.clock.advance(1000);
    await expect(pending).rejects.toMatchObject({ code: 'deadline_exceeded' });
    await expectOneEnd(setup, { ok: false, code: 'deadline_exceeded' });
  });

  it('the deadline cutting a stream under streamDeadline: total', async () => {
    const setup = scripted({ a: [{ events: [delta('a'), delta('b'), '[DONE]'] }] }, { deadlineMs: 10_000, streamDeadline: 'total' });
    const result = await setup.router.send(chat({ stream: true }));
    await result.stream!.next();
    setup.clock.advance(10_000);
    await expectOneEnd(setup, { ok: false, code: 'deadline_exceeded' });
    await expect(result.stream!.next()).rejects.toThrow(/deadline/);
  });

  it('no endpoint able to take the request', async () => {
    const store = createMemoryStore();
    const setup = scripted({ a: [{ body: chatCompletion('hi') }] }, {}, store);
    store.disable('a', setup.clock.now() + 60_000, 'insufficient_quota');
    await expect(setup.router.send(chat())).rejects.toMatchObject({ code: 'no_endpoint_available' });
    await expectOneEnd(setup, { ok: false, code: 'no_endpoint_available' });
  });

  it('every attempt failing', async () => {
    const setup = scripted({ a: [serverError], b: [serverError] }, { maxAttempts: 3 });
    await expect(setup.router.send(chat())).rejects.toMatchObject({ code: 'attempts_exhausted' });
    await expectOneEnd(setup, { ok: false, code: 'attempts_exhausted' });
  });

  it('the retry budget running out', async () => {
    const setup = scripted({ a: [serverError], b: [{ body: chatCompletion('hi') }] }, { retryBudget: { ratio: 0, minPerSecond: 0 } });
    const error = await setup.router.send(chat()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'attempts_exhausted', reason: 'budget' });
    await expectOneEnd(setup, { ok: false, code: 'attempts_exhausted' });
  });

  it('the store throwing', async () => {
    const memory = createMemoryStore();
    let failures = 1;
    const store: StateStore = {
      ...memory,
      read: (name) => {
        if (failures-- > 0) throw new Error('store down');
        return memory.read(name);
      },
    };
    const setup = scripted({ a: [{ body: chatCompletion('hi') }] }, {}, store);
    await expect(setup.router.send(chat())).rejects.toThrow('store down');
    await expectOneEnd(setup, { ok: false, code: 'internal_error' });
  });

  it('the transport handing back a response that throws', async () => {
    const response = {
      status: 200, headers: { 'content-type': 'text/event-stream' }, cancel: () => undefined,
      get body(): AsyncIterable<Uint8Array> {
        throw new Error('a body that cannot be read');
      },
    } as TransportResponse;
    const setup = harness(async () => response, ['a'], {}, wrap(createMemoryStore()));
    await expect(setup.router.send(chat({ stream: true }))).rejects.toThrow('a body that cannot be read');
    await expectOneEnd(setup, { ok: false, code: 'internal_error' });
  });

  it('a request refused before routing (a model nobody serves) emits none: it was never routed', async () => {
    const setup = scripted({ a: [{ body: chatCompletion('hi') }] }, { endpoints: [{ ...endpoint('a'), models: ['other-model'] }] });
    await expect(setup.router.send(chat())).rejects.toMatchObject({ code: 'model_not_found' });
    expect(setup.events.filter((event) => event.type === 'request-end')).toEqual([]);
  });
});
