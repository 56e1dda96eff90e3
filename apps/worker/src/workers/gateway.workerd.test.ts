import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import OpenAI from 'openai';
import { describe, expect, inject, it } from 'vitest';
import worker, { type WorkerEnv } from './worker';

// The same app as on Node, through its Workers entry, inside workerd; its upstreams are testkit servers on loopback.
const upstreams = inject('gatewayUpstreams');
const env: WorkerEnv = {
  DETOUR_CONFIG: JSON.stringify({
    endpoints: [
      { name: 'limited', baseUrl: upstreams.limited, apiKey: { env: 'LIMITED_KEY' }, priority: 0, models: ['m-failover'] },
      { name: 'cut-before', baseUrl: upstreams.cutBefore, priority: 0, models: ['m-cut-before'] },
      { name: 'cut-after', baseUrl: upstreams.cutAfter, priority: 0, models: ['m-cut-after'] },
      { name: 'healthy', baseUrl: upstreams.healthy, priority: 1 },
    ],
    gatewayKeys: [{ env: 'GATEWAY_KEY' }],
  }),
  GATEWAY_KEY: 'gk-workerd',
  LIMITED_KEY: 'sk-limited-secret',
};

const call = async (input: string | URL | Request, init?: RequestInit) => {
  const context = createExecutionContext();
  const response = await worker.fetch(new Request(input, init), env, context);
  await waitOnExecutionContext(context);
  return response;
};
const openai = new OpenAI({ baseURL: 'https://gateway.example/v1', apiKey: 'gk-workerd', maxRetries: 0, fetch: call });
const ask = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'hello' }] });

describe('the gateway inside workerd', () => {
  it('fails over an Anthropic-dialect 429 to the next tier', async () => {
    const { data, response } = await openai.chat.completions.create(ask('m-failover')).withResponse();
    expect(data.choices[0]?.message.content).toContain('healthy');
    expect(response.headers.get('x-detour-endpoint')).toBe('healthy');
    expect(response.headers.get('x-detour-attempts')).toBe('2');
  });

  it('keeps the throttled endpoint cooling across requests in the isolate', async () => {
    const { response } = await openai.chat.completions.create(ask('m-failover')).withResponse();
    expect(response.headers.get('x-detour-attempts')).toBe('1');
  });

  it('fails over a stream cut before its first chunk', async () => {
    const stream = await openai.chat.completions.create({ ...ask('m-cut-before'), stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('healthy');
  });

  it('errors a stream cut after its first chunk instead of ending it cleanly', async () => {
    const stream = await openai.chat.completions.create({ ...ask('m-cut-after'), stream: true });
    const read = async () => {
      for await (const chunk of stream) void chunk;
    };
    await expect(read()).rejects.toThrow();
  });

  it('refuses a caller without the gateway key', async () => {
    const response = await call('https://gateway.example/v1/chat/completions', { method: 'POST', body: JSON.stringify(ask('m-failover')) });
    expect(response.status).toBe(401);
  });

  it('serves health and metrics, with no upstream key in them', async () => {
    const health = await call('https://gateway.example/healthz');
    expect(health.status).toBe(200);
    const metrics = await (await call('https://gateway.example/metrics')).text();
    expect(metrics).toContain('detour_attempts_total{endpoint="limited",kind="rate_limited"}');
    // Process metrics belong to the Node entry: a Worker has no process to describe.
    expect(metrics).not.toContain('process_resident_memory_bytes');
    expect(metrics + (await health.text())).not.toContain('sk-limited-secret');
  });
});
