import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { startChaosUpstream } from '@detour/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway } from '../src/node/start-gateway';
import { setupTracing } from '../src/node/setup-tracing';

// `tracing: "otlp"` against a tiny OTLP/HTTP receiver on loopback: what a collector would be sent.
const bodies: { path: string; body: string }[] = [];
let receiver: Server;
afterAll(async () => {
  trace.disable();
  await new Promise((resolve) => receiver?.close(resolve));
});

const startReceiver = async (): Promise<string> => {
  receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      bodies.push({ path: request.url ?? '', body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
};

describe('tracing "otlp"', () => {
  it('exports the request and attempt spans to the collector at OTEL_EXPORTER_OTLP_ENDPOINT by the time the gateway has closed', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = await startReceiver();
    const primary = await startChaosUpstream({ name: 'primary', script: [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20_000 } }] });
    const backup = await startChaosUpstream({ name: 'backup' });
    const config = loadConfig(
      {
        endpoints: [primary, backup].map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-${target.name}`, priority: index })),
        gatewayKeys: ['gk-otlp'], tracing: 'otlp',
      },
      {},
    );
    const gateway = await startGateway({ config });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer gk-otlp', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(response.status).toBe(200);
    await response.text();
    await gateway.close(0);
    await Promise.all([primary.close(), backup.close()]);

    expect(bodies.map((entry) => entry.path)).toContain('/v1/traces');
    const exported = JSON.parse(bodies.find((entry) => entry.path === '/v1/traces')!.body) as {
      resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { scope: { name: string }; spans: { name: string; kind: number; attributes: { key: string }[] }[] }[] }[];
    };
    const resource = exported.resourceSpans[0]!.resource.attributes.find((attribute) => attribute.key === 'service.name');
    expect(resource?.value.stringValue).toBe('detour-gateway');
    const spans = exported.resourceSpans.flatMap((resourceSpan) => resourceSpan.scopeSpans.flatMap((scope) => scope.spans));
    expect(spans.map((span) => span.name)).toEqual(['chat gpt-4.1', 'chat gpt-4.1', 'chat gpt-4.1']);
    // OTLP's span kinds: 1 internal, 3 client.
    expect(spans.map((span) => span.kind).sort()).toEqual([1, 3, 3]);
    expect(spans.flatMap((span) => span.attributes.map((attribute) => attribute.key))).toContain('detour.failover.reason');
    expect(JSON.stringify(exported)).not.toMatch(/sk-primary|sk-backup|gk-otlp/);
  });

  it('lets the exit go when the collector never answers, and says the spans were dropped', async () => {
    // A hung collector held every exit for the exporter's 10 s (attack 21, tracing T4).
    trace.disable();
    const hung = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
    const warnings: string[] = [];
    try {
      const tracing = await setupTracing('otlp', 'detour-test', { flushBoundMs: 50, warn: (line) => void warnings.push(line) });
      trace.getTracer('test').startSpan('pending').end();
      await tracing.shutdown();
      expect(warnings).toEqual([expect.stringMatching(/^tracing: spans not exported within 50 ms of the shutdown were dropped/)]);
    } finally {
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

});
