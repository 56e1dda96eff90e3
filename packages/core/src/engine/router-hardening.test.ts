import { describe, expect, it, vi } from 'vitest';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { RouterOptionsInput } from '../options/router-options-schema';
import type { CallerSignal } from '../ports/caller-signal';
import type { StateStore } from '../ports/state-store';
import type { Transport, TransportRequest, TransportResponse } from '../ports/transport';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock, type FakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// Issue 12: defects found by attacking the gateway. Each test here failed on the code before its fix.

const encoder = new TextEncoder();
const endpoint = (name: string, extra: Record<string, unknown> = {}) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, ...extra });
const chat = (extra: Record<string, unknown> = {}) => ({
  path: '/chat/completions',
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], ...extra }),
});
const refused: ScriptedReply = { error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) };

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}, store?: StateStore) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter(
    { endpoints: Object.keys(scripts).map((name) => endpoint(name)), ...options } as RouterOptionsInput,
    { transport, clock, sleep: clock.sleep, random: () => 0.5, store },
  );
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, transport, router, events };
};

/** A hand-driven upstream body: chunks are pushed by the test, and it can stay silent forever. */
const manualBody = () => {
  const queue: Uint8Array[] = [];
  let waiting: ((result: IteratorResult<Uint8Array>) => void) | undefined;
  let failing: ((error: unknown) => void) | undefined;
  let ended = false;
  let cancelled: unknown;
  const body: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: () =>
        new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
          // A cancelled body fails every later read, as a destroyed socket does.
          if (cancelled !== undefined) return reject(cancelled);
          const chunk = queue.shift();
          if (chunk) return resolve({ done: false, value: chunk });
          if (ended) return resolve({ done: true, value: undefined });
          waiting = resolve;
          failing = reject;
        }),
      return: async () => {
        ended = true;
        return { done: true, value: undefined };
      },
    }),
  };
  return {
    body,
    push(text: string) {
      if (cancelled !== undefined) return;
      const chunk = encoder.encode(text);
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ done: false, value: chunk });
      } else queue.push(chunk);
    },
    end() {
      ended = true;
      waiting?.({ done: true, value: undefined });
      waiting = undefined;
    },
    cancel(reason?: unknown) {
      cancelled = reason ?? new Error('cancelled');
      ended = true;
      failing?.(cancelled);
      waiting = undefined;
    },
    get cancelled() {
      return cancelled !== undefined;
    },
  };
};

/** A transport whose answers the test builds per call. */
const handTransport = (answer: (request: TransportRequest, signal: CallerSignal, count: number) => Promise<TransportResponse> | TransportResponse) => {
  const calls: TransportRequest[] = [];
  const transport: Transport = async (request, signal) => {
    calls.push(request);
    return answer(request, signal, calls.length);
  };
  return { transport, calls };
};

const manualResponse = (contentType: string, signal: CallerSignal) => {
  const body = manualBody();
  signal.addEventListener('abort', () => body.cancel(signal.reason), { once: true });
  const response: TransportResponse = { status: 200, headers: { 'content-type': contentType }, body: body.body, cancel: (reason) => body.cancel(reason) };
  return { body, response };
};

const handRouter = (transport: Transport, clock: FakeClock, options: Partial<RouterOptionsInput> = {}, names = ['a']) => {
  const router = createRouter({ endpoints: names.map((name) => endpoint(name)), ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { router, events };
};

const pendingOf = async (router: { health(): Promise<{ name: string; pending: number }[]> }, name: string) =>
  (await router.health()).find((entry) => entry.name === name)!.pending;
const requestEnds = (events: RouterEvent[]) => events.filter((event) => event.type === 'request-end');
const flush = async () => {
  for (let index = 0; index < 20; index += 1) await Promise.resolve();
};

describe('defect 3: a request never waits for a breaker to reopen', () => {
  it('gives up with when the breaker reopens instead of sleeping through its open periods', async () => {
    const { router, clock, transport } = setup({ only: [refused] }, { breaker: { consecutiveFailures: 2, openMs: 5000 }, backoff: { baseMs: 200 } });
    const error = (await router.send(chat()).catch((caught: unknown) => caught)) as AttemptsExhaustedError;
    expect(error).toBeInstanceOf(AttemptsExhaustedError);
    // Two attempts trip the breaker; the request then tells the caller when it reopens rather than waiting 5 s.
    expect(transport.callsTo('only')).toHaveLength(2);
    expect(clock.sleeps).toEqual([100]); // the one backoff between the two attempts
    expect(error.retryAfterMs).toBe(5000);
  });

  it('still waits out a short server delay on an endpoint whose breaker is closed', async () => {
    const limited: ScriptedReply = { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down', code: 'rate_limit_exceeded' } } };
    const { router, clock } = setup({ only: [limited, { body: chatCompletion('later') }] });
    expect((await router.send(chat())).endpoint).toBe('only');
    expect(clock.sleeps).toHaveLength(1);
  });
});

describe('defect 2: a JSON route\'s answer is judged by its body, whatever its content type', () => {
  it.each([
    ['no content type', { 'content-type': undefined as unknown as string }],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/json', { 'content-type': 'application/json' }],
  ])('fails over a 200 that is not JSON, sent with %s', async (_, headers) => {
    const broken: ScriptedReply = { body: '{"broken": ', headers };
    const { router } = setup({ a: [broken], b: [{ body: chatCompletion('b') }] });
    const result = await router.send(chat());
    expect(result.endpoint).toBe('b');
    expect(result.attempts[0]).toMatchObject({ endpoint: 'a', kind: 'invalid_response' });
  });

  it('fails over an empty 200 on a JSON route', async () => {
    const { router } = setup({ a: [{ body: '' }], b: [{ body: chatCompletion('b') }] });
    const result = await router.send(chat());
    expect(result.endpoint).toBe('b');
    expect(result.attempts[0]).toMatchObject({ endpoint: 'a', kind: 'invalid_response', reason: expect.stringContaining('empty') });
  });

  it('relays a non-JSON answer on a route that is not a JSON route (audio)', async () => {
    const audio: ScriptedReply = { body: 'ID3\u0003binary-mp3', headers: { 'content-type': 'audio/mpeg' } };
    const { router } = setup({ a: [audio] });
    const result = await router.send({ path: '/audio/speech', body: JSON.stringify({ model: 'tts-1', input: 'hi' }) });
    expect(result.endpoint).toBe('a');
    // Relayed as it arrives (attack 20, M2): a stream of its bytes, not a body read whole.
    expect(result.body).toBeUndefined();
    let text = '';
    for await (const chunk of result.stream!) text += new TextDecoder().decode(chunk);
    expect(text).toBe('ID3\u0003binary-mp3');
  });

  it('judges every JSON route by its body', async () => {
    for (const path of ['/completions', '/embeddings', '/responses', '/messages', '/chat/completions?api-version=1']) {
      // Endpoints that speak every API, so `/messages` reaches them too.
      const apis = ['chat', 'completions', 'embeddings', 'responses', 'messages'];
      const { router } = setup(
        { a: [{ body: 'not json', headers: { 'content-type': 'text/plain' } }], b: [{ body: { object: 'list', data: [] } }] },
        { endpoints: [endpoint('a', { apis }), endpoint('b', { apis })] } as Partial<RouterOptionsInput>,
      );
      expect((await router.send({ ...chat(), path })).endpoint).toBe('b');
    }
  });
});

describe('defect 9: what cannot succeed on an endpoint is not asked of it again', () => {
  it('does not download an answer over maxResponseBytes twice from the same endpoint', async () => {
    const huge: ScriptedReply = { body: chatCompletion('x'.repeat(5000)) };
    const { router, transport } = setup({ only: [huge] }, { maxResponseBytes: 1000 });
    const error = (await router.send(chat()).catch((caught: unknown) => caught)) as AttemptsExhaustedError;
    expect(error).toBeInstanceOf(AttemptsExhaustedError);
    expect(transport.callsTo('only')).toHaveLength(1);
    expect(error.attempts[0]).toMatchObject({ kind: 'response_too_large' });
  });

  it('still fails over an oversized answer to another endpoint', async () => {
    const { router, transport } = setup({ a: [{ body: chatCompletion('x'.repeat(5000)) }], b: [{ body: chatCompletion('b') }] }, { maxResponseBytes: 1000 });
    expect((await router.send(chat())).endpoint).toBe('b');
    expect(transport.callsTo('a')).toHaveLength(1);
  });

  it('does not fetch an invalid JSON answer twice from the same endpoint', async () => {
    const { router, transport } = setup({ only: [{ body: '{"broken": ' }] });
    await expect(router.send(chat())).rejects.toBeInstanceOf(AttemptsExhaustedError);
    expect(transport.callsTo('only')).toHaveLength(1);
  });
});

const sse = (data: string) => `data: ${data}\n\n`;
const delta = (text: string, index = 0) => JSON.stringify({ choices: [{ index, delta: { content: text }, finish_reason: null }] });
const finished = (index = 0) => JSON.stringify({ choices: [{ index, delta: {}, finish_reason: 'stop' }] });

/** One upstream per call, driven by hand; `uploads[i]` is the i-th call's body. */
const manualUpstream = (contentType: string) => {
  const uploads: ReturnType<typeof manualBody>[] = [];
  const { transport, calls } = handTransport((request, signal) => {
    if (request.endpoint !== 'a') {
      // The backup answers in the shape asked: a stream for a stream, a JSON document otherwise.
      const answer = contentType === 'text/event-stream'
        ? `${sse(JSON.stringify({ choices: [{ index: 0, delta: { content: request.endpoint }, finish_reason: 'stop' }] }))}${sse('[DONE]')}`
        : JSON.stringify(chatCompletion(request.endpoint));
      return { status: 200, headers: { 'content-type': contentType }, body: (async function* () { yield encoder.encode(answer); })(), cancel: () => undefined };
    }
    const { body, response } = manualResponse(contentType, signal);
    uploads.push(body);
    return response;
  });
  return { transport, calls, uploads };
};

/**
 * A chat stream from endpoint `a` on a hand-fed upstream, committed by one delta (`Hel`) and being read: the upload
 * to feed, and what the reader got (its text, and the error that ended it, if one did).
 */
const committedStream = async (options: Partial<RouterOptionsInput>) => {
  const clock = createFakeClock();
  const { transport, uploads, calls } = manualUpstream('text/event-stream');
  const { router } = handRouter(transport, clock, options);
  const pending = router.send(chat({ stream: true }));
  await vi.waitFor(() => expect(calls).toHaveLength(1));
  uploads[0]!.push(sse(delta('Hel')));
  const result = await pending;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of result.stream!) text += decoder.decode(chunk, { stream: true });
      return { text, error: undefined as unknown };
    } catch (error) {
      return { text, error };
    }
  })();
  return { upload: uploads[0]!, reading };
};

// The third attack of 2026-12-02: an upstream that never ends a line was held in memory without bound.
describe('a stream line is held no longer than maxResponseBytes', () => {
  it('fails over a stream whose first line outgrows maxResponseBytes before any event, as response_too_large', async () => {
    const clock = createFakeClock();
    const { transport, uploads, calls } = manualUpstream('text/event-stream');
    const { router } = handRouter(transport, clock, { maxResponseBytes: 1000 }, ['a', 'b']);
    const pending = router.send(chat({ stream: true }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    uploads[0]!.push(`data: ${'x'.repeat(600)}`);
    await flush();
    uploads[0]!.push('x'.repeat(600));
    const result = await pending;
    expect(result.endpoint).toBe('b');
    expect(result.attempts[0]).toMatchObject({ endpoint: 'a', kind: 'response_too_large' });
    expect(uploads[0]!.cancelled).toBe(true);
  });

  it('cuts a committed stream, visibly, when a line outgrows maxResponseBytes (rescue off)', async () => {
    const { upload, reading } = await committedStream({ maxResponseBytes: 1000, rescue: 'off' });
    for (let piece = 0; piece < 3; piece += 1) {
      upload.push(piece === 0 ? `data: ${'x'.repeat(600)}` : 'x'.repeat(600));
      await flush();
    }
    const { error } = await reading;
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).reason).toBe('the upstream sent an event longer than maxResponseBytes');
    expect(upload.cancelled).toBe(true);
  });

  it('stops reading a committed stream whose event of short lines outgrows maxResponseBytes (rescue on: attack 7, F2)', async () => {
    // The rescue relay holds an event whole until its blank line; 200 MiB of short lines were held, 1,119 MiB RSS.
    const { upload } = await committedStream({ maxResponseBytes: 1000 });
    for (let line = 0; line < 30 && !upload.cancelled; line += 1) {
      upload.push(`data: ${'x'.repeat(60)}\n`);
      await flush();
    }
    expect(upload.cancelled).toBe(true);
  });
});

describe('a key an upstream quotes in a split error line', () => {
  // With rescue on, the relay withholds the upstream's error event whole; without it, the guard passes lines.
  it('reaches the caller scrubbed, never as two halves (rescue off)', async () => {
    const key = 'sk-live-0123456789abcdefghij';
    const { upload, reading } = await committedStream({ rescue: 'off', endpoints: [endpoint('a', { apiKey: key })] });
    const line = `data: {"error":{"message":"Incorrect API key provided: ${key}","type":"invalid_request_error"}}\n\n`;
    const cut = line.indexOf(key) + 10;
    upload.push(line.slice(0, cut));
    await flush();
    upload.push(line.slice(cut));
    await flush();
    upload.end();
    const { text } = await reading;
    expect(text).toContain('Hel');
    expect(text).not.toContain(key.slice(0, 10));
  });
});

describe('defect 8: nothing idles forever', () => {
  it('fails over a JSON answer whose headers came but whose body never does, after bodyIdleTimeoutMs', async () => {
    const clock = createFakeClock();
    const { transport, calls, uploads } = manualUpstream('application/json');
    const { router } = handRouter(transport, clock, {}, ['a', 'b']);
    const pending = router.send(chat());
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    clock.advance(29_999);
    await flush();
    expect(calls).toHaveLength(1);
    clock.advance(1);
    const result = await pending;
    expect(result.endpoint).toBe('b');
    expect(result.attempts[0]).toMatchObject({ endpoint: 'a', kind: 'timeout', reason: expect.stringContaining('stalled') });
    expect(uploads[0]!.cancelled).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('lets whitespace keep-alives in a slow JSON body hold it open', async () => {
    const clock = createFakeClock();
    const { transport, uploads, calls } = manualUpstream('application/json');
    const { router } = handRouter(transport, clock);
    const pending = router.send(chat());
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    for (let second = 0; second < 90; second += 20) {
      uploads[0]!.push('\n');
      await flush();
      clock.advance(20_000);
    }
    uploads[0]!.push(JSON.stringify(chatCompletion('late')));
    uploads[0]!.end();
    expect((await pending).endpoint).toBe('a');
  });

  it('cuts a stream that goes silent after its first event, visibly, as stalled (rescue off)', async () => {
    const clock = createFakeClock();
    const { transport, uploads, calls } = manualUpstream('text/event-stream');
    const { router, events } = handRouter(transport, clock, { rescue: 'off' });
    const pending = router.send(chat({ stream: true }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    uploads[0]!.push(sse(delta('a')));
    const result = await pending;
    const stream = result.stream!;
    await stream.next();
    const read = stream.next();
    read.catch(() => undefined);
    // streamIdleTimeoutMs, by default.
    clock.advance(299_999);
    await flush();
    expect(uploads[0]!.cancelled).toBe(false);
    clock.advance(1);
    await expect(read).rejects.toSatisfy((error: unknown) => error instanceof StreamInterruptedError && /stalled/.test(error.message));
    expect(uploads[0]!.cancelled).toBe(true);
    expect(requestEnds(events)).toEqual([expect.objectContaining({ ok: false, code: 'stream_interrupted' })]);
    expect(await pendingOf(router, 'a')).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('cuts a stream that sends only keep-alives after its first event once deadlineMs passes without an event', async () => {
    const clock = createFakeClock();
    const { transport, uploads, calls } = manualUpstream('text/event-stream');
    const { router, events } = handRouter(transport, clock, { rescue: 'off', deadlineMs: 300_000 });
    const pending = router.send(chat({ stream: true }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    uploads[0]!.push(sse(delta('a')));
    const stream = (await pending).stream!;
    await stream.next();
    const committedAt = clock.now();
    // A reader that takes every keep-alive at once, as a gateway relaying them does: each read is answered.
    let failure: unknown;
    const readOn = async () => {
      for (;;) await stream.next();
    };
    void readOn().catch((error: unknown) => (failure = error));
    while (failure === undefined && clock.now() - committedAt < 900_000) {
      uploads[0]!.push(': keep-alive\n\n');
      await flush();
      clock.advance(5000);
      await flush();
    }
    expect(failure).toBeInstanceOf(StreamInterruptedError);
    expect((failure as Error).message).toMatch(/keep-alives but no event for 300000 ms/);
    expect(clock.now() - committedAt).toBeLessThanOrEqual(305_000);
    expect(uploads[0]!.cancelled).toBe(true);
    expect(requestEnds(events)).toEqual([expect.objectContaining({ ok: false, code: 'stream_interrupted' })]);
    expect(await pendingOf(router, 'a')).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('lets keep-alives between events hold a stream open past streamIdleTimeoutMs, as a model working does', async () => {
    const clock = createFakeClock();
    const { transport, uploads, calls } = manualUpstream('text/event-stream');
    const { router } = handRouter(transport, clock, { rescue: 'off', deadlineMs: 300_000 });
    const pending = router.send(chat({ stream: true }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    uploads[0]!.push(sse(delta('a')));
    const stream = (await pending).stream!;
    const received: string[] = [];
    const decoder = new TextDecoder();
    const readAll = (async () => {
      for await (const chunk of stream) received.push(decoder.decode(chunk));
    })();
    // Four minutes of keep-alives, 20 s apart (each gap under the 60 s idle bound), then the answer goes on.
    for (let elapsed = 0; elapsed < 240_000; elapsed += 20_000) {
      uploads[0]!.push(': keep-alive\n\n');
      await flush();
      clock.advance(20_000);
      await flush();
    }
    uploads[0]!.push(sse(delta('b')) + sse(finished()) + sse('[DONE]'));
    uploads[0]!.end();
    await readAll;
    expect(received.join('')).toContain('[DONE]');
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not let a drip of bytes before the first event hold the caller for more than one first-byte bound', async () => {
    const clock = createFakeClock();
    const { transport, uploads, calls } = manualUpstream('text/event-stream');
    const { router } = handRouter(transport, clock);
    const startedAt = clock.now();
    let outcome: unknown;
    void router.send(chat({ stream: true })).then((value) => (outcome = value), (error: unknown) => (outcome = error));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    while (outcome === undefined && clock.now() - startedAt < 600_000) {
      uploads[uploads.length - 1]?.push(': keep-alive\n\n');
      await flush();
      clock.advance(5000);
      await flush();
    }
    expect(outcome).toBeInstanceOf(AttemptsExhaustedError);
    expect(calls).toHaveLength(1);
    // firstByteTimeoutMs, by default, and one tick of the drip.
    expect(clock.now() - startedAt).toBeLessThanOrEqual(305_000);
  });
});

describe('defect 7: every stream ending settles once, and right', () => {
  it('(a) lets a stream that keeps moving outlive the deadline by default (streamDeadline: first-byte)', async () => {
    const clock = createFakeClock();
    const { transport, uploads, calls } = manualUpstream('text/event-stream');
    const { router, events } = handRouter(transport, clock, { deadlineMs: 10_000, breaker: { consecutiveFailures: 1 } });
    const pending = router.send(chat({ stream: true }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    uploads[0]!.push(sse(delta('a')));
    const stream = (await pending).stream!;
    let text = '';
    for (let tick = 0; tick < 30; tick += 1) {
      const { value } = await stream.next();
      text += new TextDecoder().decode(value);
      clock.advance(1000);
      uploads[0]!.push(sse(delta('b')));
    }
    uploads[0]!.push(sse('[DONE]'));
    uploads[0]!.end();
    for (;;) {
      const { done, value } = await stream.next();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('[DONE]');
    expect(requestEnds(events)).toEqual([expect.objectContaining({ ok: true })]);
    expect((await router.health())[0]!.breaker).toBe('closed');
  });

  it('(a) with streamDeadline: total, cuts at the deadline without blaming the endpoint', async () => {
    const clock = createFakeClock();
    const { transport, uploads, calls } = manualUpstream('text/event-stream');
    const { router, events } = handRouter(transport, clock, { deadlineMs: 10_000, streamDeadline: 'total', breaker: { consecutiveFailures: 1 } });
    const pending = router.send(chat({ stream: true }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    uploads[0]!.push(sse(delta('a')));
    const stream = (await pending).stream!;
    await stream.next();
    const read = stream.next();
    read.catch(() => undefined);
    clock.advance(10_000);
    await expect(read).rejects.toSatisfy((error: unknown) => error instanceof StreamInterruptedError && /deadline/.test(error.message));
    expect(requestEnds(events)).toEqual([expect.objectContaining({ ok: false, code: 'deadline_exceeded' })]);
    expect((await router.health())[0]!.breaker).toBe('closed');
    expect(uploads[0]!.cancelled).toBe(true);
  });

  it('(b) releases a stream the caller never reads: upstream, pending count, timers and request-end', async () => {
    const clock = createFakeClock();
    const { transport, uploads, calls } = manualUpstream('text/event-stream');
    const { router, events } = handRouter(transport, clock);
    const pending = router.send(chat({ stream: true }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    uploads[0]!.push(sse(delta('a')));
    await pending; // …and never read
    expect(await pendingOf(router, 'a')).toBe(1);
    clock.advance(300_000);
    expect(uploads[0]!.cancelled).toBe(true);
    expect(await pendingOf(router, 'a')).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(requestEnds(events)).toEqual([expect.objectContaining({ ok: false, code: 'client_idle' })]);
    expect(events.find((event) => event.type === 'cost-record')).toMatchObject({ outcome: 'abandoned' });
  });

  it('(c) hands back the pending count and the probe slot when an attempt cannot be built', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore();
    const transport = createScriptedTransport({ a: [{ body: chatCompletion('a') }] });
    const router = createRouter({ endpoints: [endpoint('a', { models: { 'gpt-4.1': 'renamed' } })] }, { transport, clock, sleep: clock.sleep, store });
    const events: RouterEvent[] = [];
    router.subscribe((event) => events.push(event));
    store.write('a', { ...store.read('a'), breaker: { ...store.read('a').breaker, position: 'half_open' } });
    // A body the model rename cannot serialise: bytes it cannot splice, and a BigInt the caller parsed them into.
    await expect(router.send({ ...chat(), body: 'seed=10', json: { model: 'gpt-4.1', seed: 10n } })).rejects.toThrow(TypeError);
    expect(store.read('a').breaker.probes).toEqual([]);
    expect(await pendingOf(router, 'a')).toBe(0);
    expect(requestEnds(events)).toEqual([expect.objectContaining({ ok: false, code: 'internal_error' })]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('(c) hands back the pending count and the probe slot when the transport throws synchronously (guard)', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore();
    const transport: Transport = () => {
      throw new Error('not a function of the network');
    };
    const router = createRouter({ endpoints: [endpoint('a')] }, { transport, clock, sleep: clock.sleep, store });
    store.write('a', { ...store.read('a'), breaker: { ...store.read('a').breaker, position: 'half_open' } });
    await expect(router.send(chat())).rejects.toBeInstanceOf(AttemptsExhaustedError);
    expect(store.read('a').breaker.probes).toEqual([]);
    expect(await pendingOf(router, 'a')).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('(c) hands back the pending count, the probe slot and the stream when the store throws mid-attempt', async () => {
    const clock = createFakeClock();
    const memory = createMemoryStore();
    let failures = 1;
    const store: StateStore = {
      ...memory,
      recordResult: (...args) => {
        if (failures-- > 0) throw new Error('store down');
        return memory.recordResult(...args);
      },
    };
    const { transport, uploads, calls } = manualUpstream('text/event-stream');
    const router = createRouter({ endpoints: [endpoint('a')] }, { transport, clock, sleep: clock.sleep, store });
    memory.write('a', { ...memory.read('a'), breaker: { ...memory.read('a').breaker, position: 'half_open' } });
    const pending = router.send(chat({ stream: true }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    uploads[0]!.push(sse(delta('a')));
    await expect(pending).rejects.toThrow('store down');
    expect(memory.read('a').breaker.probes).toEqual([]);
    expect(await pendingOf(router, 'a')).toBe(0);
    expect(uploads[0]!.cancelled).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('(d) counts a caller who leaves as client_closed and its cost as abandoned, not as a cut', async () => {
    const clock = createFakeClock();
    const { transport, uploads, calls } = manualUpstream('text/event-stream');
    const { router, events } = handRouter(transport, clock, { breaker: { consecutiveFailures: 1 } });
    const controller = new AbortController();
    const pending = router.send({ ...chat({ stream: true }), signal: controller.signal });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    uploads[0]!.push(sse(delta('a')));
    const stream = (await pending).stream!;
    await stream.next();
    const read = stream.next();
    read.catch(() => undefined);
    controller.abort(new Error('the caller closed the connection'));
    await expect(read).rejects.toThrow('the caller closed the connection');
    expect(requestEnds(events)).toEqual([expect.objectContaining({ ok: false, code: 'client_closed' })]);
    expect(events.find((event) => event.type === 'cost-record')).toMatchObject({ outcome: 'abandoned' });
    expect((await router.health())[0]!.breaker).toBe('closed');
    expect(await pendingOf(router, 'a')).toBe(0);
  });

  it('(d) counts a caller who cancels the stream as client_closed too', async () => {
    const { router, events } = setup({ a: [{ events: [delta('a'), delta('b'), '[DONE]'] }] });
    const stream = (await router.send(chat({ stream: true }))).stream!;
    await stream.next();
    await stream.return!();
    expect(requestEnds(events)).toEqual([expect.objectContaining({ ok: false, code: 'client_closed' })]);
    expect(events.find((event) => event.type === 'cost-record')).toMatchObject({ outcome: 'abandoned' });
  });

  it('(e) takes a clean close after a finish_reason on every choice as a whole answer, usage chunk and all', async () => {
    const usage = JSON.stringify({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } });
    const { router, events } = setup({ a: [{ events: [delta('a'), finished(), usage] }] });
    const stream = (await router.send(chat({ stream: true }))).stream!;
    let text = '';
    for await (const chunk of stream) text += new TextDecoder().decode(chunk);
    expect(text).toContain('"finish_reason":"stop"');
    expect(requestEnds(events)).toEqual([expect.objectContaining({ ok: true })]);
    expect(events.find((event) => event.type === 'cost-record')).toMatchObject({ outcome: 'success', estimated: false });
  });

  it('(e) with n = 2, still calls a close cut when only one choice finished', async () => {
    const { router } = setup({ a: [{ events: [delta('a', 0), delta('b', 1), finished(0)] }] });
    const stream = (await router.send(chat({ stream: true, n: 2 }))).stream!;
    const drain = async () => {
      for await (const chunk of stream) void chunk;
    };
    await expect(drain()).rejects.toBeInstanceOf(StreamInterruptedError);
  });

  it('(e) with n = 2, completes once both choices finished', async () => {
    const { router } = setup({ a: [{ events: [delta('a', 0), delta('b', 1), finished(1), finished(0)] }] });
    const stream = (await router.send(chat({ stream: true, n: 2 }))).stream!;
    for await (const chunk of stream) void chunk;
  });
});
