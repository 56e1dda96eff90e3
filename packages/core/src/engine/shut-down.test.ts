import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import type { CallerSignal } from '../ports/caller-signal';
import { describeTransportError } from '../ports/describe-transport-error';
import type { StateStore } from '../ports/state-store';
import type { DescribeTransportError, Transport, TransportRequest, TransportResponse } from '../ports/transport';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { RouterClosedError } from '../errors/router-closed-error';
import { createRouter } from './router';

// A host that shuts down cuts what is still in flight: a binding destroys its pool, the gateway closes its callers'
// connections. Before `shutDown`, those cuts were recorded as the endpoints' failures (a network error, an
// interrupted stream: breaker samples and latency penalties, through a shared store in the whole fleet), a cut
// stream was rescued onto a destroyed pool after a backoff, and a request in a backoff woke after the close to try
// again. Now a shutdown is its own ending: `router_closed`, stream-end `shutdown`, counted against no endpoint.

const encoder = new TextEncoder();
const endpoint = (name: string, extra: Record<string, unknown> = {}) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, ...extra });
const chat = (extra: Record<string, unknown> = {}) => ({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], ...extra }) });
const delta = (text: string) => encoder.encode(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`);
const flush = async () => {
  for (let index = 0; index < 30; index += 1) await Promise.resolve();
};

/** A connection the test fails by hand, as a destroyed pool fails every request it holds. */
interface Held {
  readonly request: TransportRequest;
  fail(error: Error): void;
}

/**
 * A transport whose answers the test decides: `answer` gives each request its reply or holds it (undefined), and
 * `streamFor` makes a stream that sends one event, then waits for the test to fail it.
 */
const controlled = (answer: (request: TransportRequest, count: number) => TransportResponse | undefined) => {
  const held: Held[] = [];
  let count = 0;
  const transport: Transport = (request: TransportRequest, signal: CallerSignal) => {
    count += 1;
    const reply = answer(request, count);
    if (reply) return Promise.resolve(reply);
    return new Promise<TransportResponse>((_, reject) => {
      held.push({ request, fail: reject });
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
  return { transport, held, calls: () => count };
};

/** A stream that sends one event, then holds until `cut` fails it (as a destroyed pool's body read fails). */
const heldStream = () => {
  let cut: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (cut = reject));
  failed.catch(() => undefined);
  const response: TransportResponse = {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    body: {
      async *[Symbol.asyncIterator]() {
        yield delta('the answer begins');
        await failed;
      },
    },
    cancel: () => undefined,
  };
  return { response, cut: (error: Error) => cut(error) };
};

/** A stream the upstream resets after its first event. */
const resetAfterOne = (): TransportResponse => ({
  status: 200, headers: { 'content-type': 'text/event-stream' },
  body: {
    async *[Symbol.asyncIterator]() {
      yield delta('part');
      throw reset();
    },
  },
  cancel: () => undefined,
});

/** A body of these chunks, as a transport hands one over. */
const bodyOf = (...chunks: Uint8Array[]): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    yield* chunks;
  },
});
const json = (status: number, value: unknown, headers: Record<string, string> = {}): TransportResponse => ({
  status, headers: { 'content-type': 'application/json', ...headers }, body: bodyOf(encoder.encode(JSON.stringify(value))), cancel: () => undefined,
});

const destroyed = () => Object.assign(new Error('The client is destroyed'), { code: 'UND_ERR_DESTROYED' });
const reset = () => Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
// As `@detour/node` reads its pool's errors: a destroyed pool is `closed`, the host's doing.
const describe_: DescribeTransportError = (error) =>
  (error as { code?: unknown }).code === 'UND_ERR_DESTROYED' ? { kind: 'network', code: 'UND_ERR_DESTROYED', local: true, closed: true } : describeTransportError(error);

const setUp = (transport: Transport, names: readonly (string | ReturnType<typeof endpoint>)[], options: Partial<RouterOptionsInput> = {}, store: StateStore = createMemoryStore()) => {
  const clock = createFakeClock();
  // The default sleep, on the fake clock: a wait really waits, until the clock moves or the shutdown wakes it.
  const router = createRouter(
    { endpoints: names.map((name) => (typeof name === 'string' ? endpoint(name) : name)), ...options } as RouterOptionsInput,
    { transport, clock, random: () => 0.5, store, describeTransportError: describe_ },
  );
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  const of = <T extends RouterEvent['type']>(type: T) => events.filter((event): event is Extract<RouterEvent, { type: T }> => event.type === type);
  return { clock, store, router, events, of };
};

/** Whether any endpoint was judged for what the shutdown did: a breaker failure, a cooldown, a latency penalty. */
const judged = async (setup: ReturnType<typeof setUp>) => {
  const health = await setup.router.health();
  return {
    breakers: health.map((entry) => entry.breaker),
    cooldowns: setup.of('cooldown-start').length,
    failures: setup.of('attempt-end').filter((event) => event.kind !== 'success' && event.kind !== 'aborted').length,
    pending: health.map((entry) => entry.pending),
  };
};

describe('Router.shutDown', () => {
  it('refuses a request sent after it with router_closed, touching no endpoint or state', async () => {
    const { transport, calls } = controlled(() => undefined);
    const setup = setUp(transport, ['a']);
    setup.router.shutDown();
    await expect(setup.router.send(chat())).rejects.toMatchObject({ code: 'router_closed', name: 'RouterClosedError' });
    expect(calls()).toBe(0);
    expect(setup.events).toEqual([]);
  });

  it('ends a request whose attempt the host then cuts as router_closed, neutral for the endpoint and never retried', async () => {
    const { transport, held, calls } = controlled(() => undefined);
    const setup = setUp(transport, ['a', 'b'], { breaker: { consecutiveFailures: 1 } });
    const sent = setup.router.send(chat());
    await flush();
    setup.router.shutDown();
    held[0]!.fail(destroyed());
    await expect(sent).rejects.toMatchObject({ code: 'router_closed', message: 'This Detour router was shut down.' });
    // Not failed over to `b`: nothing starts after the shutdown.
    expect(calls()).toBe(1);
    expect(setup.of('attempt-end')).toEqual([expect.objectContaining({ endpoint: 'a', kind: 'aborted', reason: "cut by the router's shutdown" })]);
    expect(setup.of('request-end')).toEqual([expect.objectContaining({ ok: false, code: 'router_closed', endpoint: 'a' })]);
    expect(await judged(setup)).toEqual({ breakers: ['closed', 'closed'], cooldowns: 0, failures: 0, pending: [0, 0] });
  });

  it('takes a pool closed mid-body after the shutdown as the shutdown’s too: aborted, priced abandoned, no latency penalty', async () => {
    let cut: (error: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (cut = reject));
    failed.catch(() => undefined);
    const dripping: TransportResponse = {
      status: 200, headers: { 'content-type': 'application/json' },
      body: {
        async *[Symbol.asyncIterator]() {
          yield encoder.encode('{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4.1","choices":[{"index":0,"message":{"role":"assistant","content":"a long');
          await failed;
        },
      },
      cancel: () => undefined,
    };
    const setup = setUp(controlled(() => dripping).transport, ['a', 'b']);
    const sent = setup.router.send(chat());
    await flush();
    setup.router.shutDown();
    cut(destroyed());
    await expect(sent).rejects.toMatchObject({ code: 'router_closed' });
    expect(setup.of('attempt-end')).toEqual([expect.objectContaining({ endpoint: 'a', status: 200, kind: 'aborted' })]);
    expect(setup.of('cost-record').map((event) => event.outcome)).toEqual(['abandoned']);
    expect(await judged(setup)).toEqual({ breakers: ['closed', 'closed'], cooldowns: 0, failures: 0, pending: [0, 0] });
  });

  // The gateway aborts the caller signals of the connections it closes with a RouterClosedError; a caller who leaves
  // aborts with a reason of its own, and stays the caller's after the shutdown too.
  it.each([
    ['the host, for the shutdown', 'router_closed', new RouterClosedError()],
    ['its caller', 'aborted', new Error('the user pressed stop')],
  ] as const)('ends a request aborted after the shutdown by %s as %s', async (_, code, reason) => {
    const { transport } = controlled(() => undefined);
    const setup = setUp(transport, ['a']);
    const controller = new AbortController();
    const sent = setup.router.send({ ...chat(), signal: controller.signal });
    await flush();
    setup.router.shutDown();
    controller.abort(reason);
    await expect(sent).rejects.toMatchObject({ code });
    expect(setup.of('request-end')).toEqual([expect.objectContaining({ code })]);
  });

  it('keeps a caller’s abort whose reason carries router_closed the caller’s when this router was not shut down', async () => {
    const { transport } = controlled(() => json(429, { error: { message: 'slow down', type: 'rate_limit_error' } }, { 'retry-after': '5' }));
    const setup = setUp(transport, ['a']);
    const controller = new AbortController();
    const sent = setup.router.send({ ...chat(), signal: controller.signal });
    await flush();
    expect(setup.of('retry-wait')).toHaveLength(1);
    // Another router's error, forwarded as the reason: not this router's shutdown.
    controller.abort(new RouterClosedError());
    await expect(sent).rejects.toMatchObject({ code: 'aborted' });
  });

  it('fails a request over when a pool closes under it without a shutdown (its owner replaced it)', async () => {
    const { transport, held } = controlled((request) => (request.endpoint === 'b' ? json(200, chatCompletion('from b')) : undefined));
    const setup = setUp(transport, ['a', 'b']);
    const sent = setup.router.send(chat());
    await flush();
    held[0]!.fail(destroyed());
    expect((await sent).endpoint).toBe('b');
    expect((await setup.router.health()).map((entry) => entry.breaker)).toEqual(['closed', 'closed']);
  });

  it('keeps an answer an endpoint gave after the shutdown: a 400 is the caller’s error, a 503 counts and is not retried', async () => {
    for (const [status, code] of [[400, 'attempts_exhausted'], [503, 'router_closed']] as const) {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const transport: Transport = async () => {
        await gate;
        return json(status, { error: { message: 'no', type: status === 400 ? 'invalid_request_error' : 'server_error' } });
      };
      const setup = setUp(transport, ['a', 'b']);
      const sent = setup.router.send(chat());
      await flush();
      setup.router.shutDown();
      release();
      await expect(sent).rejects.toMatchObject({ code });
      expect(setup.of('attempt-end')).toEqual([expect.objectContaining({ endpoint: 'a', status })]);
    }
  });

  it('gives the last attempt’s error answer after the shutdown as it would have without it (maxAttempts reached)', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transport: Transport = async () => {
      await gate;
      return json(503, { error: { message: 'upstream says 503', type: 'server_error' } });
    };
    const setup = setUp(transport, ['a'], { maxAttempts: 1 });
    const sent = setup.router.send(chat());
    await flush();
    setup.router.shutDown();
    release();
    await expect(sent).rejects.toMatchObject({ code: 'attempts_exhausted', message: expect.stringContaining('HTTP 503') });
  });

  it('counts what the endpoint did after the shutdown against it: a 200 that is not JSON is its failure', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transport: Transport = async () => {
      await gate;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: bodyOf(encoder.encode('<html>oops')), cancel: () => undefined };
    };
    const setup = setUp(transport, ['a', 'b'], { breaker: { consecutiveFailures: 1 } });
    const sent = setup.router.send(chat());
    await flush();
    setup.router.shutDown();
    release();
    await expect(sent).rejects.toMatchObject({ code: 'router_closed' });
    expect(setup.of('attempt-end')).toEqual([expect.objectContaining({ endpoint: 'a', kind: 'invalid_response' })]);
    expect((await setup.router.health()).map((entry) => entry.breaker)).toEqual(['open', 'closed']);
  });

  it('starts no attempt after a shutdown that came while the store answered, and gives the probe slot back', async () => {
    const base = createMemoryStore();
    let answerAdmit: () => void = () => undefined;
    const store: StateStore = {
      ...base,
      read: (name) => Promise.resolve(base.read(name)),
      admit: (name, now, options) => new Promise((resolve) => (answerAdmit = () => resolve(base.admit(name, now, options)))),
    };
    const { transport, calls } = controlled(() => undefined);
    const setup = setUp(transport, ['a'], {}, store);
    const sent = setup.router.send(chat());
    await flush();
    setup.router.shutDown();
    answerAdmit();
    await expect(sent).rejects.toMatchObject({ code: 'router_closed' });
    expect(calls()).toBe(0);
    expect(setup.of('attempt-start')).toEqual([]);
    expect((await setup.router.health()).map((entry) => entry.pending)).toEqual([0]);
  });

  it('wakes a request waiting out a backoff, which ends router_closed at once rather than trying again', async () => {
    const { transport, calls } = controlled(() => json(429, { error: { message: 'slow down', type: 'rate_limit_error' } }, { 'retry-after': '5' }));
    const setup = setUp(transport, ['a']);
    const sent = setup.router.send(chat());
    await flush();
    expect(setup.of('retry-wait')).toHaveLength(1);
    setup.router.shutDown();
    await expect(sent).rejects.toMatchObject({ code: 'router_closed' });
    expect(calls()).toBe(1);
    // The wait's timer is gone with it: nothing holds the process.
    expect(setup.clock.pendingTimers).toBe(0);
  });

  it('wakes a request queued for quota, which ends router_closed', async () => {
    const { transport } = controlled(() => json(200, chatCompletion('ok')));
    const setup = setUp(transport, [endpoint('a', { limits: { rpm: 1 } })], { admission: { maxQueueMs: 60_000 } });
    await setup.router.send(chat());
    const queued = setup.router.send(chat());
    await flush();
    expect(setup.router.admission()?.total).toBe(1);
    setup.router.shutDown();
    await expect(queued).rejects.toMatchObject({ code: 'router_closed' });
    expect(setup.router.admission()?.total).toBe(0);
    expect(setup.clock.pendingTimers).toBe(0);
  });

  it('settles a committed stream the host then cuts as shutdown: abandoned cost, no rescue, no failure for its endpoint', async () => {
    const stream = heldStream();
    const { transport, calls } = controlled((_, count) => (count === 1 ? stream.response : undefined));
    const setup = setUp(transport, [endpoint('a', { continuation: 'vllm' }), endpoint('b', { continuation: 'vllm' })], { breaker: { consecutiveFailures: 1 } });
    const result = await setup.router.send(chat({ stream: true }));
    const iterator = result.stream!;
    expect((await iterator.next()).done).toBe(false);
    const reading = iterator.next();
    setup.router.shutDown();
    stream.cut(destroyed());
    // A cut, never a clean end.
    await expect(reading).rejects.toMatchObject({ code: 'stream_interrupted' });
    await flush();
    expect(calls()).toBe(1);
    expect(setup.of('stream-rescue')).toEqual([]);
    expect(setup.of('stream-end')).toEqual([expect.objectContaining({ endpoint: 'a', outcome: 'shutdown', reason: "cut by the router's shutdown" })]);
    expect(setup.of('cost-record')).toEqual([expect.objectContaining({ outcome: 'abandoned' })]);
    expect(setup.of('request-end')).toEqual([expect.objectContaining({ ok: false, code: 'router_closed', stream: true })]);
    expect(await judged(setup)).toEqual({ breakers: ['closed', 'closed'], cooldowns: 0, failures: 0, pending: [0, 0] });
  });

  it('keeps the upstream’s cut of a stream as the upstream’s, though the caller reads it after the shutdown', async () => {
    const setup = setUp(controlled(() => resetAfterOne()).transport, ['a'], { breaker: { consecutiveFailures: 1 }, rescue: 'off' });
    const iterator = (await setup.router.send(chat({ stream: true }))).stream!;
    await iterator.next();
    setup.router.shutDown();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'stream_interrupted' });
    await flush();
    expect(setup.of('stream-end')).toEqual([expect.objectContaining({ outcome: 'interrupted' })]);
    expect(setup.of('request-end')).toEqual([expect.objectContaining({ code: 'stream_interrupted' })]);
    expect((await setup.router.health()).map((entry) => entry.breaker)).toEqual(['open']);
  });

  it('ends a rescue under way at the shutdown without calling it a failed rescue', async () => {
    // One endpoint: the rescue waits out its cooldown, sending heartbeats, when the shutdown comes.
    const setup = setUp(controlled(() => resetAfterOne()).transport, [endpoint('a', { continuation: 'vllm' })], { rescueHeartbeatMs: 100, cooldown: { overloadedMs: 5000 } });
    const iterator = (await setup.router.send(chat({ stream: true }))).stream!;
    await iterator.next();
    const reading = iterator.next();
    await flush();
    setup.clock.advance(150);
    expect(new TextDecoder().decode((await reading).value)).toContain('detour is rescuing');
    const after = iterator.next();
    setup.router.shutDown();
    // The caller is told in the stream's own error event, then the stream fails: never a clean end.
    expect(new TextDecoder().decode((await after).value)).toContain('error');
    await expect(iterator.next()).rejects.toBeDefined();
    await flush();
    expect(setup.of('stream-rescue')).toEqual([]);
    expect(setup.of('request-end')).toEqual([expect.objectContaining({ code: 'router_closed' })]);
    expect(setup.clock.pendingTimers).toBe(0);
  });

  it('leaves a stream that ends whole after the shutdown whole', async () => {
    const response: TransportResponse = {
      status: 200, headers: { 'content-type': 'text/event-stream' },
      body: bodyOf(delta('all of it'), encoder.encode('data: [DONE]\n\n')), cancel: () => undefined,
    };
    const setup = setUp(controlled(() => response).transport, ['a']);
    const result = await setup.router.send(chat({ stream: true }));
    setup.router.shutDown();
    for await (const chunk of result.stream!) void chunk;
    expect(setup.of('stream-end')).toEqual([expect.objectContaining({ outcome: 'complete' })]);
    expect(setup.of('request-end')).toEqual([expect.objectContaining({ ok: true })]);
  });
});
