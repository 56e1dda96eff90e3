import * as api from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { describe, expect, inject, it } from 'vitest';
import { createFetch, openTelemetryTracer, type RouterEvent } from '../src/index';

// Inside workerd the tracer is passed explicitly (a Worker bundle cannot look a package up at run time).
const upstreams = inject('upstreams');

describe('tracing @detour/edge inside workerd', () => {
  it('makes a failover one request span with two attempt spans, with the GenAI attributes and the failover reason', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    api.trace.setGlobalTracerProvider(provider);
    const detourFetch = createFetch(
      { endpoints: [
        { name: 'primary', baseUrl: upstreams.limitedOnce, apiKey: 'sk-primary-secret', priority: 0 },
        { name: 'backup', baseUrl: upstreams.healthy, apiKey: 'sk-backup-secret', priority: 1 },
      ] },
      { tracer: openTelemetryTracer(api, { name: '@detour/edge' }) },
    );
    const ended = new Promise<RouterEvent>((resolve) => {
      detourFetch.router.subscribe((event) => event.type === 'request-end' && resolve(event));
    });
    const openai = new OpenAI({ apiKey: 'caller-key', fetch: detourFetch, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'a secret prompt' }] });
    await ended;
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const requests = spans.filter((span) => span.kind === api.SpanKind.INTERNAL);
    const attempts = spans.filter((span) => span.kind === api.SpanKind.CLIENT);
    expect(requests).toHaveLength(1);
    expect(attempts).toHaveLength(2);
    expect(requests[0]!.name).toBe('chat gpt-4.1');
    expect(requests[0]!.attributes).toMatchObject({ 'detour.endpoint': 'backup', 'detour.attempts': 2, 'gen_ai.response.model': 'gpt-4.1' });
    const [first, second] = [...attempts].sort((a, b) => Number(a.attributes['detour.attempt.number']) - Number(b.attributes['detour.attempt.number']));
    for (const attempt of [first!, second!]) expect(attempt.parentSpanContext?.spanId).toBe(requests[0]!.spanContext().spanId);
    expect(first!.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'http.response.status_code': 429, 'error.type': 'rate_limited', 'server.address': '127.0.0.1' });
    expect(second!.attributes).toMatchObject({ 'detour.attempt.kind': 'failover', 'detour.failover.from': 'primary', 'gen_ai.provider.name': 'openai' });
    expect(second!.attributes['detour.failover.reason']).toEqual(expect.stringMatching(/429|rate/i));
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toMatch(/sk-|secret prompt/);
    await provider.shutdown();
    api.trace.disable();
  });
});
