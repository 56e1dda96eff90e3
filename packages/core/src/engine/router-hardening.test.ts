import { describe, expect, it, vi } from 'vitest';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { RouterOptionsInput } from '../options/router-options-schema';
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
const handTransport = (answer: (request: TransportRequest, signal: AbortSignal, count: number) => Promise<TransportResponse> | TransportResponse) => {
  const calls: TransportRequest[] = [];
  const transport: Transport = async (request, signal) => {
    calls.push(request);
    return answer(request, signal, calls.length);
  };
  return { transport, calls };
};

const manualResponse = (contentType: string, signal: AbortSignal) => {
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
    expect(new TextDecoder().decode(result.body)).toBe('ID3\u0003binary-mp3');
  });

  it('judges every JSON route by its body', async () => {
    for (const path of ['/completions', '/embeddings', '/responses', '/messages', '/chat/completions?api-version=1']) {
      const { router } = setup({ a: [{ body: 'not json', headers: { 'content-type': 'text/plain' } }], b: [{ body: { object: 'list', data: [] } }] });
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
