import { createRouter } from '@detour/core';
import { chatCompletion, createFakeClock, createScriptedTransport, type EndpointScript } from '@detour/core/testing';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/load-config';
import { createGatewayMetrics } from '../src/metrics/gateway-metrics';

// The Responses and Messages routes in-process, on a scripted transport: routing, auth, headers, error shapes and
// the model list. The real SDKs over real sockets are in responses-api.test.ts and messages-api.test.ts.

const message = (text: string) => ({
  id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text }],
  stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 10, output_tokens: 5 },
});
const ok = { body: chatCompletion('hello') };

const gateway = (scripts: Record<string, EndpointScript>, endpoints: Record<string, Record<string, unknown>> = {}, extra: Record<string, unknown> = {}) => {
  const clock = createFakeClock();
  const config = loadConfig(
    {
      endpoints: Object.keys(scripts).map((name, index) => ({
        name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-secret-${name}-0123456789`, priority: index, ...endpoints[name],
      })),
      gatewayKeys: ['gk-test'],
      ...extra,
    },
    {},
  );
  const transport = createScriptedTransport(scripts, { now: clock.now });
  const router = createRouter(config.router, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  const app = createApp({ config, router, metrics: createGatewayMetrics(router, clock.now), now: clock.now });
  const request = (method: string, path: string, { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {}) =>
    app.request(path, {
      method,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      headers: { 'content-type': 'application/json', ...headers },
    });
  return { app, transport, request, config };
};

const claude = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };
const anthropicHeaders = { 'x-api-key': 'gk-test', 'anthropic-version': '2023-06-01' };

describe('gateway keys from either header', () => {
  it('accepts the key as x-api-key (Anthropic clients) or as a Bearer token, and forwards neither', async () => {
    const { request, transport } = gateway({ anthropic: [{ body: message('hi') }] }, { anthropic: { provider: 'anthropic' } });
    const byApiKey = await request('POST', '/v1/messages', { body: claude, headers: anthropicHeaders });
    const byBearer = await request('POST', '/v1/messages', { body: claude, headers: { authorization: 'Bearer gk-test', 'anthropic-version': '2023-06-01' } });
    expect([byApiKey.status, byBearer.status]).toEqual([200, 200]);
    for (const call of transport.calls) {
      expect(call.request.headers['x-api-key']).toBe('sk-secret-anthropic-0123456789');
      expect(call.request.headers.authorization).toBeUndefined();
    }
  });

  it('lets a client that sends both headers in when either holds a gateway key', async () => {
    const { request } = gateway({ primary: [ok] });
    const body = { model: 'gpt-4.1', input: 'hi' };
    expect((await request('POST', '/v1/responses', { body, headers: { authorization: 'Bearer sk-their-own', 'x-api-key': 'gk-test' } })).status).toBe(200);
    expect((await request('POST', '/v1/responses', { body, headers: { authorization: 'Bearer gk-test', 'x-api-key': 'nope' } })).status).toBe(200);
    expect((await request('POST', '/v1/responses', { body, headers: { authorization: 'Bearer nope', 'x-api-key': 'nope' } })).status).toBe(401);
  });

  it('refuses a wrong x-api-key on /v1/messages in Anthropic\'s shape, and never contacts an upstream', async () => {
    const { request, transport } = gateway({ anthropic: [{ body: message('hi') }] }, { anthropic: { provider: 'anthropic' } });
    const response = await request('POST', '/v1/messages', { body: claude, headers: { 'x-api-key': 'gk-wrong', 'anthropic-version': '2023-06-01' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'Invalid gateway key.' } });
    const missing = await request('POST', '/v1/messages/count_tokens', { body: claude });
    expect((await missing.json()).error.type).toBe('authentication_error');
    expect(transport.calls).toHaveLength(0);
  });
});

describe('the Messages routes', () => {
  it('passes anthropic-version, anthropic-beta and openai-beta through, and nothing of the caller\'s credentials', async () => {
    const { request, transport } = gateway({ anthropic: [{ body: message('hi') }] }, { anthropic: { provider: 'anthropic' } });
    await request('POST', '/v1/messages', { body: claude, headers: { ...anthropicHeaders, 'anthropic-beta': 'prompt-caching-2024-07-31', cookie: 'a=b' } });
    const sent = transport.calls[0]!.request;
    expect(sent.url).toBe('https://anthropic.example/v1/messages');
    expect(sent.headers).toMatchObject({ 'anthropic-version': '2023-06-01', 'anthropic-beta': 'prompt-caching-2024-07-31' });
    expect(sent.headers.cookie).toBeUndefined();
  });

  it('passes the beta flag of Anthropic\'s beta surface (Claude Code\'s calls) upstream, and no other query parameter', async () => {
    const { request, transport } = gateway({ anthropic: [{ body: message('hi') }] }, { anthropic: { provider: 'anthropic' } });
    await request('POST', '/v1/messages?beta=true&target=evil', { body: claude, headers: anthropicHeaders });
    await request('POST', '/v1/messages', { body: claude, headers: anthropicHeaders });
    expect(transport.calls.map((call) => call.request.url)).toEqual(['https://anthropic.example/v1/messages?beta=true', 'https://anthropic.example/v1/messages']);
  });

  it('routes count_tokens to the upstream\'s count_tokens', async () => {
    const { request, transport } = gateway({ anthropic: [{ body: { input_tokens: 3 } }] }, { anthropic: { provider: 'anthropic' } });
    const response = await request('POST', '/v1/messages/count_tokens', { body: { model: 'claude-sonnet-4-5', messages: claude.messages }, headers: anthropicHeaders });
    expect(await response.json()).toEqual({ input_tokens: 3 });
    expect(transport.calls[0]!.request.url).toBe('https://anthropic.example/v1/messages/count_tokens');
  });

  it.each([
    ['malformed JSON', '{"model":', 400, 'invalid_request_error'],
    ['a missing model', { max_tokens: 1, messages: [] }, 400, 'invalid_request_error'],
    ['a body over the limit', { ...claude, padding: 'x'.repeat(2048) }, 413, 'request_too_large'],
  ])('answers %s in Anthropic\'s shape', async (_, body, status, type) => {
    const { request, transport } = gateway({ anthropic: [{ body: message('hi') }] }, { anthropic: { provider: 'anthropic' } }, { maxBodyBytes: 1024 });
    const response = await request('POST', '/v1/messages', { body, headers: anthropicHeaders });
    expect(transport.calls).toHaveLength(0);
    expect(response.status).toBe(status);
    const json = await response.json();
    expect(json).toMatchObject({ type: 'error', error: { type } });
    expect(typeof json.error.message).toBe('string');
  });

  it('answers unknown routes under /v1/messages with Anthropic\'s 404, and others with OpenAI\'s', async () => {
    const { request } = gateway({ primary: [ok] });
    const batches = await request('GET', '/v1/messages/batches', { headers: anthropicHeaders });
    expect(batches.status).toBe(404);
    expect((await batches.json()).error.type).toBe('not_found_error');
    const other = await request('GET', '/v1/nope', { headers: anthropicHeaders });
    expect((await other.json()).error.code).toBe('not_found');
  });

  it('answers an upstream 401 as 502 upstream_auth_failed in Anthropic\'s shape, key scrubbed', async () => {
    const rejected = { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key sk-secret-anthropic-0123456789' } } };
    const { request } = gateway({ anthropic: [rejected] }, { anthropic: { provider: 'anthropic' } });
    const response = await request('POST', '/v1/messages', { body: claude, headers: anthropicHeaders });
    expect(response.status).toBe(502);
    expect(response.headers.get('x-detour-error')).toBe('upstream_auth_failed');
    const text = await response.text();
    expect(text).not.toContain('sk-secret');
    expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(JSON.parse(text).error.message).toMatch(/rejected the gateway's credentials.*\[redacted\]/);
  });
});

describe('pieces of a key (the fifteenth attack, F15-1)', () => {
  it('redacts a key\'s last characters and a middle piece, quoted in an error body or a relayed header', async () => {
    const key = 'sk-secret-primary-Zx9Qw7Lm2Nb5Vc8Tr4';
    const rejected = { status: 401, body: { error: { message: `invalid key ...${key.slice(-12)}; hint ${key.slice(12, 26)}`, type: 'invalid_request_error' } } };
    const { request } = gateway({ primary: [rejected] }, { primary: { apiKey: key } });
    const refused = await (await request('POST', '/v1/chat/completions', { body: { model: 'gpt-4.1', messages: [] }, headers: { authorization: 'Bearer gk-test' } })).text();
    expect(refused).toContain('[redacted]');
    expect(refused).not.toContain(key.slice(-12));
    expect(refused).not.toContain(key.slice(12, 26));
    const debug = { headers: { 'x-upstream-debug': `key=...${key.slice(-16)}` }, body: chatCompletion('hi') };
    const served = await gateway({ primary: [debug] }, { primary: { apiKey: key } }).request('POST', '/v1/chat/completions', { body: { model: 'gpt-4.1', messages: [] }, headers: { authorization: 'Bearer gk-test' } });
    expect(served.headers.get('x-upstream-debug')).toBe('key=...[redacted]');
  });
});

describe('the Responses routes', () => {
  it('proxies POST /v1/responses and the stored-response operations to the matching upstream paths', async () => {
    const { request, transport } = gateway({ primary: [{ body: { id: 'resp_abc', object: 'response', status: 'completed', output: [] } }] });
    const auth = { authorization: 'Bearer gk-test', 'openai-beta': 'responses=v1' };
    expect((await request('POST', '/v1/responses', { body: { model: 'gpt-4.1', input: 'hi' }, headers: auth })).status).toBe(200);
    await request('GET', '/v1/responses/resp_abc?include[]=message.output_text.logprobs', { headers: auth });
    await request('GET', '/v1/responses/resp_abc/input_items?limit=5&order=asc', { headers: auth });
    await request('POST', '/v1/responses/resp_abc/cancel', { headers: auth });
    await request('DELETE', '/v1/responses/resp_abc', { headers: auth });
    expect(transport.calls.map(({ request: sent }) => `${sent.method} ${sent.url}`)).toEqual([
      'POST https://primary.example/v1/responses',
      'GET https://primary.example/v1/responses/resp_abc?include[]=message.output_text.logprobs',
      'GET https://primary.example/v1/responses/resp_abc/input_items?limit=5&order=asc',
      'POST https://primary.example/v1/responses/resp_abc/cancel',
      'DELETE https://primary.example/v1/responses/resp_abc',
    ]);
    expect(transport.calls[0]!.request.headers['openai-beta']).toBe('responses=v1');
  });

  it('judges a stored response\'s answer as POST does: a 200 page quoting the key is refused, a response mislabelled is JSON', async () => {
    // Attack 15, F15-4: these routes relayed any 2xx as it came, so an upstream's 200 error page reached the caller
    // with the whole key, and a response labelled text/plain made the SDK's retrieve throw.
    const page = { status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>upstream error, key sk-secret-primary-0123456789</h1>' };
    const mislabelled = { status: 200, headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ id: 'resp_abc', object: 'response', status: 'completed', output: [] }) };
    const auth = { authorization: 'Bearer gk-test' };
    for (const [method, path] of [['GET', '/v1/responses/resp_abc'], ['GET', '/v1/responses/resp_abc/input_items'], ['POST', '/v1/responses/resp_abc/cancel'], ['DELETE', '/v1/responses/resp_abc']] as const) {
      const refused = await gateway({ primary: [page, page, page] }).request(method, path, { headers: auth });
      expect(refused.status, `${method} ${path}`).toBe(502);
      expect(await refused.text()).not.toContain('sk-secret');
    }
    const { request } = gateway({ primary: (sent) => (sent.method === 'DELETE' ? { status: 204 } : mislabelled) });
    const retrieved = await request('GET', '/v1/responses/resp_abc', { headers: auth });
    expect(retrieved.headers.get('content-type')).toBe('application/json');
    const retrievedText = await retrieved.text();
    expect(JSON.parse(retrievedText).id, retrievedText).toBe('resp_abc');
    expect((await request('DELETE', '/v1/responses/resp_abc', { headers: auth })).status).toBe(204);
  });

  it('passes x-client-request-id upstream, and never the caller\'s OpenAI-Organization or OpenAI-Project (the key chooses those)', async () => {
    const { request, transport } = gateway({ primary: [{ body: { id: 'resp_abc', object: 'response', status: 'completed', output: [] } }] });
    const headers = { authorization: 'Bearer gk-test', 'x-client-request-id': 'mine-1', 'openai-organization': 'org-caller', 'openai-project': 'proj_caller' };
    await request('POST', '/v1/responses', { body: { model: 'gpt-4.1', input: 'hi' }, headers });
    const sent = transport.calls[0]!.request.headers;
    expect(sent['x-client-request-id']).toBe('mine-1');
    expect(sent['openai-organization']).toBeUndefined();
    expect(sent['openai-project']).toBeUndefined();
  });

  it('proxies input_tokens and compact, with or without a model, only to endpoints that speak the Responses API', async () => {
    const { request, transport } = gateway(
      { claude: [{ body: message('no') }], primary: [{ body: { object: 'response.input_tokens', input_tokens: 3 } }] },
      { claude: { provider: 'anthropic' } },
    );
    const auth = { authorization: 'Bearer gk-test' };
    const counted = await request('POST', '/v1/responses/input_tokens', { body: { input: 'hi' }, headers: auth });
    expect(await counted.json()).toEqual({ object: 'response.input_tokens', input_tokens: 3 });
    await request('POST', '/v1/responses/compact', { body: { model: 'gpt-4.1', input: 'hi' }, headers: auth });
    expect((await request('POST', '/v1/responses/compact', { body: { model: 7 }, headers: auth })).status).toBe(400);
    expect(transport.calls.map(({ request: sent }) => sent.url)).toEqual(['https://primary.example/v1/responses/input_tokens', 'https://primary.example/v1/responses/compact']);
  });

  it.each(['..', 'resp%2F..%2Fmodels', 'a.b', 'x'.repeat(129), 'resp_1%3Fx'])('refuses the response id %s with a 400 before routing', async (id) => {
    const { request, transport } = gateway({ primary: [ok] });
    const response = await request('GET', `/v1/responses/${id}`, { headers: { authorization: 'Bearer gk-test' } });
    expect([400, 404]).toContain(response.status);
    expect(transport.calls).toHaveLength(0);
  });
});

describe('/v1/models per API', () => {
  const endpoints = {
    openai: { models: ['gpt-4.1', 'text-embedding-3-small'] },
    anthropic: { provider: 'anthropic', models: ['claude-sonnet-4-5', 'claude-haiku-4-5'] },
    groq: { provider: 'groq', models: ['gpt-4.1'] },
  };

  it('lists every model with the APIs that serve it, in OpenAI\'s shape by default', async () => {
    const { request } = gateway({ openai: [ok], anthropic: [ok], groq: [ok] }, endpoints);
    const list = await (await request('GET', '/v1/models', { headers: { authorization: 'Bearer gk-test' } })).json();
    expect(list.object).toBe('list');
    expect(list.data).toContainEqual({ id: 'claude-sonnet-4-5', object: 'model', created: 0, owned_by: 'detour', apis: ['messages'] });
    expect(list.data.find((model: { id: string }) => model.id === 'gpt-4.1').apis).toEqual(['chat', 'completions', 'embeddings', 'responses']);
    const messagesOnly = await (await request('GET', '/v1/models?api=messages', { headers: { authorization: 'Bearer gk-test' } })).json();
    expect(messagesOnly.data.map((model: { id: string }) => model.id)).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5']);
    expect((await request('GET', '/v1/models?api=soap', { headers: { authorization: 'Bearer gk-test' } })).status).toBe(400);
  });

  it('answers Anthropic\'s SDK (anthropic-version) in Anthropic\'s shape, Messages models only, paged', async () => {
    const { request } = gateway({ openai: [ok], anthropic: [ok], groq: [ok] }, endpoints);
    const list = await (await request('GET', '/v1/models', { headers: anthropicHeaders })).json();
    expect(list).toEqual({
      data: [
        { type: 'model', id: 'claude-haiku-4-5', display_name: 'claude-haiku-4-5', created_at: '1970-01-01T00:00:00Z', apis: ['messages'] },
        { type: 'model', id: 'claude-sonnet-4-5', display_name: 'claude-sonnet-4-5', created_at: '1970-01-01T00:00:00Z', apis: ['messages'] },
      ],
      has_more: false, first_id: 'claude-haiku-4-5', last_id: 'claude-sonnet-4-5',
    });
    const first = await (await request('GET', '/v1/models?limit=1', { headers: anthropicHeaders })).json();
    expect([first.data.length, first.has_more, first.last_id]).toEqual([1, true, 'claude-haiku-4-5']);
    const next = await (await request('GET', '/v1/models?limit=1&after_id=claude-haiku-4-5', { headers: anthropicHeaders })).json();
    expect([next.data[0].id, next.has_more]).toEqual(['claude-sonnet-4-5', false]);
    const one = await (await request('GET', '/v1/models/claude-sonnet-4-5', { headers: anthropicHeaders })).json();
    expect(one).toMatchObject({ type: 'model', id: 'claude-sonnet-4-5' });
    const missing = await request('GET', '/v1/models/claude-nope', { headers: anthropicHeaders });
    expect([missing.status, (await missing.json()).error.type]).toEqual([404, 'not_found_error']);
  });
});

describe('health and metrics by API', () => {
  it('shows the APIs of each endpoint in /healthz', async () => {
    const { app } = gateway({ openai: [ok], anthropic: [ok] }, { anthropic: { provider: 'anthropic' } });
    const health = await (await app.request('/healthz')).json();
    expect(health.endpoints.map((endpoint: { apis: string[] }) => endpoint.apis)).toEqual([['chat', 'completions', 'embeddings', 'responses'], ['messages']]);
  });

  it('prices a Responses answer with cached input and reasoning tokens, and counts each type', async () => {
    const usage = { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 12 }, total_tokens: 30 };
    const { app, request } = gateway({ primary: [{ body: { id: 'resp_1', object: 'response', status: 'completed', output: [], usage } }] }, { primary: { models: ['gpt-4.1'] } });
    const response = await request('POST', '/v1/responses', { body: { model: 'gpt-4.1', input: 'hi' }, headers: { authorization: 'Bearer gk-test' } });
    // gpt-4.1: $2 fresh input, $0.50 cached input, $8 output (reasoning included) per million tokens.
    expect(response.headers.get('x-detour-cost-usd')).toBe(((6 * 2 + 4 * 0.5 + 20 * 8) / 1e6).toFixed(8));
    const text = await (await app.request('/metrics')).text();
    for (const [type, count] of [['input', 6], ['cached_input', 4], ['output', 20], ['reasoning', 12]] as const) {
      expect(text).toContain(`detour_tokens_total{endpoint="primary",model="gpt-4.1",type="${type}",api="responses"} ${count}`);
    }
  });

  it('labels requests, duration, tokens and cost with the API', async () => {
    const { app, request } = gateway({ anthropic: [{ body: message('hi') }] }, { anthropic: { provider: 'anthropic', models: ['claude-sonnet-4-5'] } });
    await request('POST', '/v1/messages', { body: claude, headers: anthropicHeaders });
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('detour_requests_total{outcome="ok",stream="false",api="messages"} 1');
    expect(text).toContain('detour_request_duration_seconds_count{stream="false",api="messages"} 1');
    expect(text).toContain('detour_tokens_total{endpoint="anthropic",model="claude-sonnet-4-5",type="output",api="messages"} 5');
  });
});
