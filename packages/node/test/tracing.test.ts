import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { startChaosUpstream, type ChaosUpstream, type FaultRule } from '@detour/testkit';
import OpenAI from 'openai';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createFetch, type NodeDetourFetch, type RouterEvent } from '../src/index';

// createFetch finds @opentelemetry/api by itself (a devDependency here, an optional peer for users). The first test
// runs before any provider is registered; the SDK is registered once after it, as an application would at start-up.
const upstreams: ChaosUpstream[] = [];
const fetches: NodeDetourFetch[] = [];
afterEach(async () => {
  await Promise.all(fetches.splice(0).map((detourFetch) => detourFetch.router.close()));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
  exporter.reset();
});

const exporter = new InMemorySpanExporter();
let provider: NodeTracerProvider | undefined;
afterAll(async () => {
  await provider?.shutdown();
  trace.disable();
});

// Paced, so a stream is still flowing while the caller reads its first chunks (the guard ends a stream at its
// terminating event, which an unpaced upstream sends in the same read as the first).
const upstream = async (name: string, script: FaultRule[] = []) => {
  const started = await startChaosUpstream({ name, script, chunkDelayMs: 5 });
  upstreams.push(started);
  return started;
};

const setup = (endpoints: ChaosUpstream[], options: { rescue?: 'off' } = {}) => {
  const detourFetch = createFetch({
    endpoints: endpoints.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-${target.name}-secret`, priority: index })),
    ...options,
  });
  fetches.push(detourFetch);
  // Resolves when the request's only `request-end` arrives: by then every span of the request has ended.
  const ended = new Promise<RouterEvent>((resolve) => {
    detourFetch.router.subscribe((event) => event.type === 'request-end' && resolve(event));
  });
  return { openai: new OpenAI({ fetch: detourFetch, maxRetries: 0, apiKey: 'unused' }), ended };
};

const finished = async (): Promise<ReadableSpan[]> => {
  await provider!.forceFlush();
  return exporter.getFinishedSpans();
};
const requestSpans = (spans: ReadableSpan[]) => spans.filter((span) => span.attributes['detour.attempts'] !== undefined);
const attemptSpans = (spans: ReadableSpan[]) => spans.filter((span) => span.kind === SpanKind.CLIENT);
const throttled: FaultRule = { fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20_000 } };
const prompt = 'Say hello, secret prompt';

describe('tracing createFetch with OpenTelemetry', () => {
  it('works as before and emits nothing while no provider is registered', async () => {
    const { openai, ended } = setup([await upstream('primary', [throttled]), await upstream('backup')]);
    const completion = await openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: prompt }] });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    expect(await ended).toMatchObject({ ok: true, endpoint: 'backup', attempts: 2 });
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
  });

  it('makes a failover one request span with two attempt spans, carrying the GenAI attributes and the failover reason', async () => {
    const primary = await upstream('primary', [throttled]);
    const backup = await upstream('backup');
    const { openai, ended } = setup([primary, backup]);
    // The caller's own span parents Detour's request span.
    const parent = await trace.getTracer('app').startActiveSpan('handle user request', async (span) => {
      await openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: prompt }] });
      span.end();
      return span;
    });
    await ended;
    const spans = await finished();
    const [request] = requestSpans(spans);
    const attempts = attemptSpans(spans);
    expect(requestSpans(spans)).toHaveLength(1);
    expect(attempts).toHaveLength(2);
    expect(request!.name).toBe('chat gpt-4.1');
    expect(request!.kind).toBe(SpanKind.INTERNAL);
    expect(request!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(request!.spanContext().traceId).toBe(parent.spanContext().traceId);
    for (const attempt of attempts) {
      expect(attempt.name).toBe('chat gpt-4.1');
      expect(attempt.parentSpanContext?.spanId).toBe(request!.spanContext().spanId);
    }
    const [first, second] = [...attempts].sort((a, b) => Number(a.attributes['detour.attempt.number']) - Number(b.attributes['detour.attempt.number']));
    const primaryPort = Number(new URL(primary.baseUrl).port);
    expect(first!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1',
      'server.address': '127.0.0.1', 'server.port': primaryPort, 'detour.endpoint': 'primary', 'detour.attempt.number': 1,
      'detour.attempt.kind': 'initial', 'http.response.status_code': 429, 'error.type': 'rate_limited',
    });
    expect(first!.status.code).toBe(SpanStatusCode.ERROR);
    expect(second!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4.1', 'gen_ai.response.model': 'gpt-4.1',
      'server.port': Number(new URL(backup.baseUrl).port), 'detour.endpoint': 'backup', 'detour.attempt.number': 2,
      'detour.attempt.kind': 'failover', 'detour.failover.from': 'primary', 'http.response.status_code': 200, 'detour.outcome.kind': 'success',
    });
    expect(second!.attributes['detour.failover.reason']).toEqual(expect.stringMatching(/429|rate/i));
    expect(second!.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(second!.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(typeof second!.attributes['detour.cost.usd']).toBe('number');
    expect(request!.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4.1', 'gen_ai.response.model': 'gpt-4.1', 'detour.endpoint': 'backup', 'detour.attempts': 2,
      'detour.outcome': 'success',
    });
    expect(request!.status.code).not.toBe(SpanStatusCode.ERROR);
    const exported = JSON.stringify(spans.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, status: span.status })));
    expect(exported).not.toMatch(/sk-|secret prompt|Bearer/);
  });

  it('ends a stream\'s spans when the stream ends', async () => {
    const { openai, ended } = setup([await upstream('primary')]);
    const stream = await openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: prompt }], stream: true });
    let first = true;
    for await (const _chunk of stream) {
      // Not ended while it flows.
      if (first) expect(exporter.getFinishedSpans()).toHaveLength(0);
      first = false;
    }
    await ended;
    const spans = await finished();
    expect(requestSpans(spans)).toHaveLength(1);
    expect(attemptSpans(spans)).toHaveLength(1);
    expect(requestSpans(spans)[0]!.attributes).toMatchObject({ 'detour.stream': true, 'detour.outcome': 'success' });
    expect(typeof requestSpans(spans)[0]!.attributes['detour.first_byte_ms']).toBe('number');
  });

  it('ends the spans of a stream the caller aborts, and of one the upstream cuts', async () => {
    const aborting = setup([await upstream('primary')]);
    const controller = new AbortController();
    const stream = await aborting.openai.chat.completions.create(
      { model: 'gpt-4.1', messages: [{ role: 'user', content: prompt }], stream: true }, { signal: controller.signal },
    );
    for await (const _chunk of stream) {
      controller.abort();
      break;
    }
    expect(await aborting.ended).toMatchObject({ ok: false, code: 'client_closed' });
    let spans = await finished();
    expect(requestSpans(spans)).toHaveLength(1);
    expect(attemptSpans(spans)).toHaveLength(1);
    expect(requestSpans(spans)[0]!.attributes['error.type']).toBe('client_closed');
    exporter.reset();

    const cutting = setup([await upstream('cutter', [{ fault: { type: 'cut-stream', afterTokens: 3, mode: 'reset' } }])], { rescue: 'off' });
    const cut = await cutting.openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: prompt }], stream: true });
    await expect(async () => {
      for await (const _chunk of cut) {
        // read until the cut
      }
    }).rejects.toThrow();
    expect(await cutting.ended).toMatchObject({ ok: false });
    spans = await finished();
    const [attempt] = attemptSpans(spans);
    expect(attempt!.status.code).toBe(SpanStatusCode.ERROR);
    expect(attempt!.attributes['error.type']).toBe('stream_interrupted');
    expect(requestSpans(spans)[0]!.status.code).toBe(SpanStatusCode.ERROR);
  });
});
