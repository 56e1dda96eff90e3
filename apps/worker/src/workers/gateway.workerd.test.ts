import Anthropic from '@anthropic-ai/sdk';
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
      { name: 'ietf', baseUrl: upstreams.ietf, priority: 0, models: ['m-ietf'] },
      { name: 'healthy', baseUrl: upstreams.healthy, priority: 1, models: ['m-failover', 'm-cut-before', 'm-cut-after'] },
      { name: 'claude-limited', provider: 'anthropic', apiKey: 'sk-ant-limited', baseUrl: upstreams.limited, priority: 0, models: ['claude-failover'] },
      { name: 'claude-cut-after', provider: 'anthropic', apiKey: 'sk-ant-cut', baseUrl: upstreams.cutAfter, priority: 0, models: ['claude-cut-after'] },
      { name: 'claude-healthy', provider: 'anthropic', apiKey: 'sk-ant-healthy', baseUrl: upstreams.healthy, priority: 1, models: ['claude-failover'] },
    ],
    gatewayKeys: [{ env: 'GATEWAY_KEY' }],
    // These tests pin what a cut looks like; mid-stream rescue is proven in test/rescue.test.ts and edge's tests.
    router: { rescue: 'off' },
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
const claude = new Anthropic({ baseURL: 'https://gateway.example', apiKey: 'gk-workerd', maxRetries: 0, fetch: call });
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

  it('ends a cut stream with an error event in its API\'s shape, since workerd serves an errored body as a clean end', async () => {
    const cases = [
      ['/v1/chat/completions', { ...ask('m-cut-after'), stream: true }, /event: error\ndata: \{"error":\{"message":".*","type":"stream_interrupted","code":"stream_interrupted"\}\}\n\n$/],
      ['/v1/responses', { model: 'm-cut-after', input: 'hello', stream: true }, /event: error\ndata: \{"type":"error","code":"stream_interrupted",.*"error":\{.*\}\}\n\n$/],
      ['/v1/messages', { ...ask('claude-cut-after'), max_tokens: 64, stream: true }, /event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":".*"\}\}\n\n$/],
    ] as const;
    for (const [path, body, ending] of cases) {
      const response = await call(`https://gateway.example${path}`, {
        method: 'POST', body: JSON.stringify(body), headers: { authorization: 'Bearer gk-workerd', 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      });
      // Read whole without an error: what an HTTP client of workerd gets, with the cut said in the last event.
      const text = await response.text();
      expect(text, path).toMatch(ending);
    }
    // The openai SDK raises it on the Responses API too (a bare `error` event would be yielded as an ordinary event).
    const stream = await openai.responses.create({ model: 'm-cut-after', input: 'hello', stream: true });
    const seen: string[] = [];
    await expect((async () => {
      for await (const event of stream) seen.push(event.type);
    })()).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(seen[0]).toBe('response.created');
  });

  it('gives a relayed IETF-dialect 429 an OpenAI-shaped body with the upstream message and Retry-After', async () => {
    const error = (await openai.chat.completions.create(ask('m-ietf')).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toContain('quota has been exceeded');
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(29);
  });

  it('fails the Responses API over a 429 to the next tier', async () => {
    const { data, response } = await openai.responses.create({ model: 'm-failover', input: 'hello' }).withResponse();
    expect(data.output_text).toContain('healthy');
    expect(response.headers.get('x-detour-endpoint')).toBe('healthy');
  });

  it('fails the Messages API over a 429 to the next tier, for messages.create and messages.stream', async () => {
    const ask = { model: 'claude-failover', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hello' }] };
    const { data, response } = await claude.messages.create(ask).withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('healthy') });
    expect(response.headers.get('x-detour-endpoint')).toBe('claude-healthy');
    const final = await claude.messages.stream(ask).finalMessage();
    expect(final.stop_reason).toBe('end_turn');
  });

  it('makes messages.stream reject when a Messages stream is cut after its first events', async () => {
    const ask = { model: 'claude-cut-after', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hello' }] };
    const stream = claude.messages.stream(ask);
    const seen: string[] = [];
    stream.on('streamEvent', (event) => seen.push(event.type));
    await expect(stream.finalMessage()).rejects.toThrow();
    // The first events arrived: this is the cut stream, not an error answer.
    expect(seen).toContain('message_start');
  });

  it('answers a wrong key on /v1/messages in Anthropic\'s shape', async () => {
    const response = await call('https://gateway.example/v1/messages', { method: 'POST', body: '{}', headers: { 'x-api-key': 'nope' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('refuses a body nested deeper than maxJsonDepth before parsing it', async () => {
    const body = `{"model":"m-failover","x":${'['.repeat(200)}${']'.repeat(200)}}`;
    const response = await call('https://gateway.example/v1/chat/completions', { method: 'POST', body, headers: { authorization: 'Bearer gk-workerd' } });
    expect(response.status).toBe(400);
    expect((await response.json() as { error: { code: string } }).error.code).toBe('json_too_deep');
  });

  it('keeps its own 10 MiB body limit by default: an isolate has 128 MB', async () => {
    const body = JSON.stringify({ model: 'm-failover', messages: [{ role: 'user', content: 'x'.repeat(11 * 1024 * 1024) }] });
    const response = await call('https://gateway.example/v1/chat/completions', { method: 'POST', body, headers: { authorization: 'Bearer gk-workerd' } });
    expect(response.status).toBe(413);
    expect((await response.json() as { error: { code: string } }).error.code).toBe('request_too_large');
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
