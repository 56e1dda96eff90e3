import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { startChaosUpstream, type ChaosUpstream, type FaultRule } from '@detour/testkit';
import type { RouterEvent } from '@detour/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';
import { withoutTraceContext } from '../src/node/trace-context';

// The gateway on real sockets, traced through the OpenTelemetry SDK with an in-memory exporter. The first test runs
// before any provider is registered; then one is, as `node --import ./otel.mjs` would at start-up.
const upstreams: ChaosUpstream[] = [];
const gateways: RunningGateway[] = [];
const exporter = new InMemorySpanExporter();
let provider: NodeTracerProvider | undefined;
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
  exporter.reset();
});
afterAll(async () => {
  await provider?.shutdown();
  trace.disable();
});

const upstream = async (name: string, script: FaultRule[] = []) => {
  const started = await startChaosUpstream({ name, script });
  upstreams.push(started);
  return started;
};

const gatewayFor = async (targets: ChaosUpstream[], extra: Record<string, unknown> = {}) => {
  const config = loadConfig(
    {
      endpoints: targets.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-upstream-${target.name}`, priority: index })),
      gatewayKeys: ['gk-trace'],
      ...extra,
    },
    {},
  );
  const gateway = await startGateway({ config });
  gateways.push(gateway);
  const ended = new Promise<RouterEvent>((resolve) => {
    gateway.router.subscribe((event) => event.type === 'request-end' && resolve(event));
  });
  return { gateway, ended };
};

const chat = (gateway: RunningGateway, headers: Record<string, string> = {}, stream = false) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer gk-trace', 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'a secret prompt' }], stream }),
  });

const finished = async (): Promise<ReadableSpan[]> => {
  await provider!.forceFlush();
  return exporter.getFinishedSpans();
};
const throttled: FaultRule = { fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20_000 } };

describe('the gateway traced with OpenTelemetry', () => {
  it('serves as before and emits nothing while no provider is registered', async () => {
    const { gateway, ended } = await gatewayFor([await upstream('primary', [throttled]), await upstream('backup')]);
    const response = await chat(gateway, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-detour-endpoint')).toBe('backup');
    await response.text();
    await ended;
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
  });

  it('makes a failover one request span with two attempt spans, joined to the caller\'s traceparent', async () => {
    const primary = await upstream('primary', [throttled]);
    const backup = await upstream('backup');
    const { gateway, ended } = await gatewayFor([primary, backup]);
    const response = await chat(gateway, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(response.status).toBe(200);
    await response.text();
    await ended;
    const spans = await finished();
    const requests = spans.filter((span) => span.kind === SpanKind.INTERNAL);
    const attempts = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(requests).toHaveLength(1);
    expect(attempts).toHaveLength(2);
    const request = requests[0]!;
    expect(request.name).toBe('chat gpt-4.1');
    expect(request.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(request.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(request.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4.1', 'gen_ai.response.model': 'gpt-4.1', 'gen_ai.provider.name': 'openai',
      'detour.endpoint': 'backup', 'detour.attempts': 2, 'detour.outcome': 'success',
    });
    expect(request.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(request.attributes['detour.cost.usd']).toBeGreaterThan(0);
    const [first, second] = [...attempts].sort((a, b) => Number(a.attributes['detour.attempt.number']) - Number(b.attributes['detour.attempt.number']));
    for (const attempt of [first!, second!]) {
      expect(attempt.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(attempt.name).toBe('chat gpt-4.1');
    }
    expect(first!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1', 'server.address': '127.0.0.1',
      'server.port': Number(new URL(primary.baseUrl).port), 'detour.endpoint': 'primary', 'detour.attempt.kind': 'initial',
      'http.response.status_code': 429, 'error.type': 'rate_limited',
    });
    expect(first!.status.code).toBe(SpanStatusCode.ERROR);
    expect(second!.attributes).toMatchObject({
      'server.port': Number(new URL(backup.baseUrl).port), 'detour.endpoint': 'backup', 'detour.attempt.kind': 'failover',
      'detour.failover.from': 'primary', 'http.response.status_code': 200, 'gen_ai.response.model': 'gpt-4.1',
    });
    expect(second!.attributes['detour.failover.reason']).toEqual(expect.stringMatching(/429|rate/i));
    expect(second!.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    const exported = JSON.stringify(spans.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, status: span.status })));
    expect(exported).not.toMatch(/sk-upstream|gk-trace|secret prompt/);
  });

  it('starts a trace of its own with traceContext "ignore", whatever the caller\'s traceparent says', async () => {
    // Joined, a caller's `-01` had every request recorded under a parent-based sampler, and its trace id chose where
    // the spans went (attack 21, tracing T2).
    const { gateway, ended } = await gatewayFor([await upstream('only')], { traceContext: 'ignore' });
    const response = await chat(gateway, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=caller-state' });
    expect(response.status).toBe(200);
    await response.text();
    await ended;
    const request = (await finished()).find((span) => span.kind === SpanKind.INTERNAL)!;
    expect(request.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    expect(request.parentSpanContext).toBeUndefined();
    expect(request.spanContext().traceState?.serialize() ?? '').not.toContain('caller-state');
  });

  it('takes out the span an HTTP server instrumentation made from the caller\'s traceparent, with traceContext "ignore"', async () => {
    // `@opentelemetry/instrumentation-http` starts a server span from the caller's `traceparent` before the gateway's
    // handler runs: skipping the gateway's own extraction left Detour's spans its children, in the caller's trace.
    const remote = trace.setSpanContext(context.active(), { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true });
    const seen = await context.with(remote, () =>
      withoutTraceContext(async (_request: Request, _env: unknown) => new Response(JSON.stringify(trace.getSpanContext(context.active()) ?? null)))(new Request('http://gateway.test/'), {} as never));
    expect(await seen.json()).toBeNull();
  });

  it('ends a streamed answer\'s spans when the caller stops reading it mid-way', async () => {
    // The upstream waits a minute between events: the caller leaves long before the answer could end.
    const { gateway, ended } = await gatewayFor([await upstream('primary', [{ fault: { type: 'slow-body', chunkDelayMs: 60_000 } }])]);
    const response = await chat(gateway, {}, true);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(await ended).toMatchObject({ ok: false, stream: true });
    const spans = await finished();
    expect(spans.filter((span) => span.kind === SpanKind.INTERNAL)).toHaveLength(1);
    expect(spans.filter((span) => span.kind === SpanKind.CLIENT)).toHaveLength(1);
    expect(spans.find((span) => span.kind === SpanKind.INTERNAL)!.attributes['error.type']).toBe('client_closed');
  });

  it('emits nothing with tracing "off"', async () => {
    const { gateway, ended } = await gatewayFor([await upstream('primary')], { tracing: 'off' });
    await (await chat(gateway)).text();
    await ended;
    expect(await finished()).toHaveLength(0);
  });
});
