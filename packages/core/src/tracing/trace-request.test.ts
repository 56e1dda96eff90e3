import { describe, expect, it } from 'vitest';
import { createRouter } from '../engine/router';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';
import type { TraceAttributes, TraceSpan, Tracer } from './tracer';

/** A span that remembers what it was told, in a tree. */
interface RecordedSpan extends TraceSpan {
  readonly name: string;
  readonly kind: 'request' | 'attempt';
  readonly parent: RecordedSpan | undefined;
  readonly attributes: Record<string, unknown>;
  readonly events: { name: string; attributes: TraceAttributes }[];
  error: string | undefined;
  ended: number;
}

const recordingTracer = (recording = true) => {
  const spans: RecordedSpan[] = [];
  const span = (name: string, kind: RecordedSpan['kind'], attributes: TraceAttributes, parent?: RecordedSpan): RecordedSpan => {
    const made: RecordedSpan = {
      name, kind, parent, attributes: { ...attributes }, events: [], error: undefined, ended: 0,
      isRecording: () => recording,
      setAttributes: (more) => void Object.assign(made.attributes, more),
      addEvent: (eventName, eventAttributes) => void made.events.push({ name: eventName, attributes: eventAttributes }),
      setError: (message) => void (made.error = message),
      end: () => void (made.ended += 1),
    };
    spans.push(made);
    return made;
  };
  const tracer: Tracer = {
    startRequest: (name, attributes) => span(name, 'request', attributes),
    startAttempt: (name, attributes, parent) => span(name, 'attempt', attributes, parent as RecordedSpan),
  };
  return { tracer, spans };
};

const rateLimited: ScriptedReply = {
  status: 429, headers: { 'retry-after': '20' },
  body: { error: { message: 'Rate limit reached for sk-primary-secret', type: 'requests', code: 'rate_limit_exceeded' } },
};
const chat = (extra: Record<string, unknown> = {}) => ({
  path: '/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'a secret prompt' }], ...extra }),
});

const setup = (scripts: Record<string, EndpointScript>, tracer: Tracer, options: Partial<RouterOptionsInput> = {}) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const endpoints = Object.keys(scripts).map((name) => ({ name, baseUrl: `https://${name}.example:8443/v1`, query: { key: `sk-in-url` }, apiKey: `sk-${name}-secret` }));
  return createRouter({ endpoints, prices: [{ model: 'gpt-4.1', inputPerMTok: 2, outputPerMTok: 8 }], ...options } as RouterOptionsInput, {
    transport, clock, sleep: clock.sleep, random: () => 0.5, tracer,
  });
};

const readAll = async (stream: AsyncIterable<Uint8Array>) => {
  let text = '';
  for await (const chunk of stream) text += new TextDecoder().decode(chunk);
  return text;
};

describe('traceRequest', () => {
  it('makes one request span and one attempt span per attempt, with the GenAI attributes and the failover reason', async () => {
    const { tracer, spans } = recordingTracer();
    const router = setup({ primary: [rateLimited], backup: [{ body: chatCompletion('hi') }] }, tracer);
    await router.send(chat());

    expect(spans.map((span) => [span.kind, span.name])).toEqual([
      ['request', 'chat gpt-4.1'], ['attempt', 'chat gpt-4.1'], ['attempt', 'chat gpt-4.1'],
    ]);
    const [request, first, second] = spans as [RecordedSpan, RecordedSpan, RecordedSpan];
    expect(first.parent).toBe(request);
    expect(second.parent).toBe(request);
    expect(spans.every((span) => span.ended === 1)).toBe(true);
    expect(first.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1',
      'server.address': 'primary.example', 'server.port': 8443, 'detour.endpoint': 'primary', 'detour.attempt.number': 1,
      'detour.attempt.kind': 'initial', 'http.response.status_code': 429, 'error.type': 'rate_limited', 'detour.outcome.kind': 'rate_limited',
    });
    expect(first.error).toBeDefined();
    expect(first.events.map((event) => event.name)).toContain('detour.cooldown');
    expect(second.attributes).toMatchObject({
      'detour.endpoint': 'backup', 'detour.attempt.number': 2, 'detour.attempt.kind': 'failover', 'detour.failover.from': 'primary',
      'http.response.status_code': 200, 'gen_ai.response.model': 'gpt-4.1', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5,
      'detour.outcome.kind': 'success',
    });
    expect(String(second.attributes['detour.failover.reason'])).toMatch(/429|rate/);
    expect(second.attributes['error.type']).toBeUndefined();
    expect(request.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4.1', 'gen_ai.response.model': 'gpt-4.1', 'gen_ai.provider.name': 'openai',
      'detour.endpoint': 'backup', 'detour.attempts': 2, 'detour.outcome': 'success', 'gen_ai.usage.input_tokens': 10,
    });
    expect(request.attributes['detour.cost.usd']).toBeCloseTo((10 * 2 + 5 * 8) / 1e6, 12);
    expect(request.error).toBeUndefined();
    // Neither keys nor the prompt leave in a span.
    const exported = JSON.stringify(spans.map(({ name, attributes, events, error }) => ({ name, attributes, events, error })));
    expect(exported).not.toMatch(/sk-|secret prompt/);
  });

  it('builds nothing more when the request span does not record, and the router works as before', async () => {
    const { tracer, spans } = recordingTracer(false);
    const router = setup({ primary: [rateLimited], backup: [{ body: chatCompletion('hi') }] }, tracer);
    const result = await router.send(chat());
    expect(result.endpoint).toBe('backup');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.ended).toBe(1);
  });

  it('keeps a stream attempt open until the stream ends', async () => {
    const { tracer, spans } = recordingTracer();
    const events = ['{"choices":[{"delta":{"content":"a"}}]}', '{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}', '[DONE]'];
    const router = setup({ a: [{ events }] }, tracer);
    const result = await router.send(chat({ stream: true }));
    const [request, attempt] = spans as [RecordedSpan, RecordedSpan];
    expect(attempt.ended).toBe(0);
    expect(request.ended).toBe(0);
    await readAll(result.stream!);
    expect(attempt.ended).toBe(1);
    expect(request.ended).toBe(1);
    expect(attempt.attributes).toMatchObject({ 'detour.cost.outcome': 'success', 'gen_ai.usage.output_tokens': 1 });
    expect(request.attributes['detour.outcome']).toBe('success');
  });

  it('ends a cut stream\'s spans as failed, and a cancelled one as closed by the caller', async () => {
    const { tracer, spans } = recordingTracer();
    const events = ['{"choices":[{"delta":{"content":"a"}}]}', '{"choices":[{"delta":{"content":"b"}}]}'];
    const router = setup({ a: [{ events, cut: { afterEvents: 1, mode: 'error' } }, { events }] }, tracer, { rescue: 'off' });
    const cut = await router.send(chat({ stream: true }));
    await expect(readAll(cut.stream!)).rejects.toThrow();
    expect(spans.every((span) => span.ended === 1)).toBe(true);
    expect(spans[1]!.attributes['error.type']).toBe('stream_interrupted');
    expect(spans[0]!.error).toBe('stream_interrupted');

    const cancelled = await router.send(chat({ stream: true }));
    await cancelled.stream!.next();
    await cancelled.stream!.return?.(undefined);
    expect(spans.slice(2).map((span) => span.ended)).toEqual([1, 1]);
    expect(spans[2]!.attributes['detour.outcome']).toBe('client_closed');
  });

  it('ends a cut segment\'s attempt and traces the rescue attempt that carries the stream on', async () => {
    const { tracer, spans } = recordingTracer();
    const role = '{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}';
    const whole = [role, '{"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}', '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}', '[DONE]'];
    const router = setup({ primary: [{ events: whole, cut: { afterEvents: 1, mode: 'error' } }], backup: [{ events: whole }] }, tracer, { rescue: 'continue-or-replay' });
    const result = await router.send(chat({ stream: true }));
    expect(await readAll(result.stream!)).toContain('hi');
    expect(spans.map((span) => [span.kind, span.attributes['detour.endpoint'], span.attributes['detour.attempt.kind']])).toEqual([
      ['request', 'backup', undefined], ['attempt', 'primary', 'initial'], ['attempt', 'backup', 'rescue'],
    ]);
    expect(spans.every((span) => span.ended === 1)).toBe(true);
    expect(spans[1]!.attributes['error.type']).toBe('stream_interrupted');
    expect(spans[2]!.attributes['error.type']).toBeUndefined();
    expect(spans[0]!.attributes).toMatchObject({ 'detour.rescue.outcome': 'rescued', 'detour.rescue.from': 'primary', 'detour.outcome': 'success' });
  });

  it('never fails a request when the tracer throws', async () => {
    const throwing: Tracer = {
      startRequest: () => {
        throw new Error('tracer down');
      },
      startAttempt: () => {
        throw new Error('tracer down');
      },
    };
    const router = setup({ a: [{ body: chatCompletion('hi') }] }, throwing);
    expect((await router.send(chat())).status).toBe(200);
    const { tracer } = recordingTracer();
    const broken: Tracer = { ...tracer, startAttempt: throwing.startAttempt };
    const second = setup({ a: [{ body: chatCompletion('hi') }] }, broken);
    expect((await second.send(chat())).status).toBe(200);
  });

  it('still ends the request span when an attempt span throws as it ends (a span processor that throws)', async () => {
    // The OpenTelemetry SDK does not catch a span processor's onEnd: `end()` throws what it throws. One handler around
    // all of a request's span calls let that skip the rest, and a stream's request span was never ended (attack 21).
    /** The tracer with attempt spans whose `end()` throws once it has ended them, as a processor's `onEnd` would. */
    const throwingEnds = (tracer: Tracer): Tracer => ({
      startRequest: tracer.startRequest,
      startAttempt: (name, attributes, parent) => {
        const span = tracer.startAttempt(name, attributes, parent);
        return { ...span, end: () => {
          span.end();
          throw new Error('processor onEnd failed');
        } };
      },
    });
    const { tracer, spans } = recordingTracer();
    const events = ['{"choices":[{"delta":{"content":"a"}}]}', '{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}', '[DONE]'];
    const router = setup({ a: [{ events }] }, throwingEnds(tracer));
    const streamed = await router.send(chat({ stream: true }));
    await readAll(streamed.stream!);
    const [request, attempt] = spans as [RecordedSpan, RecordedSpan];
    expect(attempt.ended).toBe(1);
    expect(request.ended).toBe(1);
    expect(request.attributes).toMatchObject({ 'detour.outcome': 'success', 'detour.attempts': 1 });
    // A failed attempt's span throws as it ends too; the next attempt and the request span are traced all the same.
    const { tracer: second, spans: secondSpans } = recordingTracer();
    const failing = setup({ primary: [rateLimited], backup: [{ body: chatCompletion('hi') }] }, throwingEnds(second));
    expect((await failing.send(chat())).endpoint).toBe('backup');
    expect(secondSpans.map((span) => [span.kind, span.attributes['detour.endpoint'], span.ended])).toEqual([
      ['request', 'backup', 1], ['attempt', 'primary', 1], ['attempt', 'backup', 1],
    ]);
  });
});
