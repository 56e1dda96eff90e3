import { createRouter } from '@detour/core';
import { chatCompletion, createFakeClock, createScriptedTransport, type EndpointScript } from '@detour/core/testing';
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/load-config';
import { createGatewayMetrics } from '../src/metrics/gateway-metrics';
import { constantTimeEqual, constantTimeEqualText, gatewayAuthenticator } from '../src/middleware/gateway-auth';

const auth = { authorization: 'Bearer gk-test' };
const chat = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });

const gateway = (scripts: Record<string, EndpointScript>, extra: Record<string, unknown> = {}) => {
  const clock = createFakeClock();
  const config = loadConfig(
    {
      endpoints: Object.keys(scripts).map((name, index) => ({
        name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-secret-${name}-0123456789`, priority: index, models: ['gpt-4.1', 'text-embedding-3-small'],
      })),
      gatewayKeys: ['gk-test'],
      ...extra,
    },
    {},
  );
  const transport = createScriptedTransport(scripts, { now: clock.now });
  const router = createRouter(config.router, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  const metrics = createGatewayMetrics(router, clock.now);
  const app = createApp({ config, router, metrics, now: clock.now });
  const post = (path: string, body: string, headers: Record<string, string> = auth) =>
    app.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { app, transport, clock, post, config, router };
};

const ok = { body: chatCompletion('hello') };

describe('gateway routes', () => {
  it('proxies a chat completion and says who served it, after how many attempts, at what cost', async () => {
    const { post } = gateway({ primary: [{ status: 429, headers: { 'retry-after': '5' }, body: { error: { code: 'rate_limit_exceeded', message: 'slow' } } }], backup: [ok] });
    const response = await post('/v1/chat/completions', chat);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-detour-endpoint')).toBe('backup');
    expect(response.headers.get('x-detour-attempts')).toBe('2');
    expect(Number(response.headers.get('x-detour-cost-usd'))).toBeCloseTo((10 * 2 + 5 * 8) / 1e6, 10);
    expect((await response.json()).choices[0].message.content).toBe('hello');
  });

  it('routes completions and embeddings to their upstream paths', async () => {
    const { post, transport } = gateway({ primary: [ok] });
    await post('/v1/completions', chat);
    await post('/v1/embeddings', JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }));
    expect(transport.calls.map((call) => call.request.url)).toEqual(['https://primary.example/v1/completions', 'https://primary.example/v1/embeddings']);
  });

  it('lists the configured public model names', async () => {
    const { app } = gateway({ primary: [ok] });
    const response = await app.request('/v1/models', { headers: auth });
    expect((await response.json()).data.map((model: { id: string }) => model.id)).toEqual(['gpt-4.1', 'text-embedding-3-small']);
  });

  it('answers unknown routes with a 404 in OpenAI error format', async () => {
    const { app } = gateway({ primary: [ok] });
    const response = await app.request('/v1/nope', { headers: auth });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });

  it('matches every route with the RegExpRouter of Hono (no fall-back to the slower TrieRouter), POST /v1/responses/<other> a 404', async () => {
    const { app, post, transport } = gateway({ primary: [ok] });
    const unknown = await post('/v1/responses/resp_123', JSON.stringify({ model: 'gpt-4.1' }));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('not_found');
    expect(transport.calls).toHaveLength(0);
    expect(app.router.name).toBe('SmartRouter + RegExpRouter');
    const withAdmin = gateway({ primary: [ok] }, { admin: { key: 'admin-key-0123456789' } });
    expect((await withAdmin.post('/v1/chat/completions', chat)).status).toBe(200);
    expect(withAdmin.app.router.name).toBe('SmartRouter + RegExpRouter');
  });
});

describe('gateway auth', () => {
  it('refuses a missing or wrong gateway key with 401 and never contacts an upstream', async () => {
    const { post, transport } = gateway({ primary: [ok] });
    const missing = await post('/v1/chat/completions', chat, {});
    const wrong = await post('/v1/chat/completions', chat, { authorization: 'Bearer gk-tesT' });
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect((await wrong.json()).error).toMatchObject({ code: 'invalid_api_key', type: 'invalid_request_error' });
    expect(transport.calls).toHaveLength(0);
  });

  it('asks every /v1 route for the key, and an unknown /v1 path too (401 without it, 404 with it)', async () => {
    const { app, transport } = gateway({ primary: [ok] });
    const requests: [string, string][] = [
      ['GET', '/v1/models'], ['GET', '/v1/models/gpt-4.1'], ['POST', '/v1/chat/completions'], ['POST', '/v1/messages'],
      ['POST', '/v1/responses/compact'], ['POST', '/v1/responses/resp_1'], ['GET', '/v1/responses/resp_1'],
      ['DELETE', '/v1/responses/resp_1'], ['GET', '/v1/responses/resp_1/input_items'], ['POST', '/v1/responses/resp_1/cancel'],
      ['GET', '/v1/nope'], ['GET', '/v1'], ['GET', '/v1/chat/completions'],
    ];
    for (const [method, path] of requests) {
      const body = method === 'POST' ? chat : undefined;
      const response = await app.request(path, { method, ...(body ? { body } : {}), headers: { 'content-type': 'application/json' } });
      expect([path, response.status]).toEqual([path, 401]);
    }
    for (const path of ['/v1/nope', '/v1']) expect((await app.request(path, { headers: auth })).status).toBe(404);
    expect(transport.calls).toHaveLength(0);
  });

  it("dispatches each /v1 route as a single handler (Hono's direct path, no middleware chain)", () => {
    const { app } = gateway({ primary: [ok] });
    const v1 = app.routes.filter((route) => route.path.startsWith('/v1'));
    expect(v1.length).toBeGreaterThan(10);
    expect(v1.every((route) => route.method !== 'ALL')).toBe(true);
  });

  it('finds a key among many by its digest as the scan finds it among few: by either header, the first configured first', () => {
    const keys = Array.from({ length: 40 }, (_, index) => `gk-team-${String(index).padStart(2, '0')}-secret`);
    const names = keys.map((_, index) => `team-${index}`);
    const many = gatewayAuthenticator({ keys, names, header: (context, name) => (context as unknown as Record<string, string>)[name] });
    const few = gatewayAuthenticator({ keys: keys.slice(0, 16), names, header: (context, name) => (context as unknown as Record<string, string>)[name] });
    const ask = (authenticate: typeof many, headers: Record<string, string>) => {
      try {
        return authenticate(headers as unknown as Context).name;
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    const cases: Record<string, string>[] = [
      { authorization: `Bearer ${keys[37]}` }, { 'x-api-key': keys[39]! }, { authorization: `Bearer ${keys[2]}`, 'x-api-key': keys[30]! },
      { authorization: `Bearer ${keys[30]}`, 'x-api-key': keys[2]! }, { authorization: 'Bearer gk-team-37-secreT' }, {}, { 'x-api-key': '' },
      { authorization: `Bearer ${keys[5]}`, 'x-api-key': 'wrong' }, { authorization: `bearer   ${keys[12]}  ` },
    ];
    expect(cases.map((headers) => ask(many, headers))).toEqual(['team-37', 'team-39', 'team-2', 'team-2', 'unauthorized', 'unauthorized', 'unauthorized', 'team-5', 'team-12']);
    // Below the bound, the scan gives the same answers for the keys it holds.
    for (const headers of [cases[2]!, cases[7]!, cases[8]!, { 'x-api-key': keys[15]! }]) expect(ask(few, headers)).toBe(ask(many, headers));
  });

  it('compares keys without an early exit on the first difference', () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(constantTimeEqual(encode('gk-abc'), encode('gk-abc'))).toBe(true);
    expect(constantTimeEqual(encode('gk-abc'), encode('gk-abd'))).toBe(false);
    expect(constantTimeEqual(encode('gk-abc'), encode('gk-abcd'))).toBe(false);
    expect(constantTimeEqual(encode(''), encode('x'))).toBe(false);
    expect(constantTimeEqualText('gk-abc', 'gk-abc')).toBe(true);
    expect(constantTimeEqualText('gk-abc', 'gk-abd')).toBe(false);
    expect(constantTimeEqualText('gk-abc', 'gk-abcd')).toBe(false);
    expect(constantTimeEqualText('gk-ab', 'gk-ab\u0000')).toBe(false);
    expect(constantTimeEqualText('', 'x')).toBe(false);
  });

  it('refuses to start without a gateway key unless explicitly allowed', () => {
    const endpoints = [{ name: 'a', baseUrl: 'https://a.example/v1' }];
    expect(() => loadConfig({ endpoints }, {})).toThrow(/gatewayKeys: no gateway key is configured/);
    expect(loadConfig({ endpoints, allowUnauthenticated: true }, {}).gatewayKeys).toEqual([]);
  });
});

describe('gateway limits and errors', () => {
  it('answers 413 for a body over the limit, declared or not', async () => {
    const { post } = gateway({ primary: [ok] }, { maxBodyBytes: 64 });
    const big = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(200) }] });
    const response = await post('/v1/chat/completions', big);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('request_too_large');
  });

  it('answers 400 with a clear message for malformed JSON and for a missing model', async () => {
    const { post } = gateway({ primary: [ok] });
    const malformed = await post('/v1/chat/completions', '{"model": "gpt-4.1",');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.message).toMatch(/not valid JSON/);
    const noModel = await post('/v1/chat/completions', '{"messages": []}');
    expect(noModel.status).toBe(400);
    expect((await noModel.json()).error.message).toMatch(/model/);
  });

  it('answers a fast 503 with Retry-After when every endpoint is cooling', async () => {
    const limited = { status: 429, headers: { 'retry-after': '30' }, body: { error: { code: 'rate_limit_exceeded', message: 'slow' } } };
    const { post, transport, app } = gateway({ primary: [limited], backup: [limited] }, { router: { maxServerDelayMs: 1000 } });
    await post('/v1/chat/completions', chat);
    const response = await post('/v1/chat/completions', chat);
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(30);
    expect((await response.json()).error.code).toBe('no_endpoint_available');
    expect(transport.calls).toHaveLength(2);
    const health = await (await app.request('/healthz')).json();
    expect(health.endpoints[0].modelCooldownSeconds['gpt-4.1']).toBeGreaterThanOrEqual(30);
    expect(await (await app.request('/metrics')).text()).toContain('detour_model_cooldown_seconds{endpoint="primary",model="gpt-4.1"}');
  });

  it('answers an upstream 401 as 502 upstream_auth_failed, with any upstream key scrubbed', async () => {
    const echo = { status: 401, body: { error: { message: 'Incorrect API key provided: sk-secret-primary-0123456789.', code: 'invalid_api_key' } } };
    const { post } = gateway({ primary: [echo] });
    const response = await post('/v1/chat/completions', chat);
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).not.toContain('sk-secret');
    expect(text).toContain('[redacted]');
  });

  it('never relays upstream cookies or auth challenges, and scrubs upstream keys from relayed headers', async () => {
    const key = 'sk-secret-primary-0123456789';
    const leaky = { status: 400, headers: { 'set-cookie': `session=${key}`, 'www-authenticate': `Bearer realm=${key}`, 'x-echo': key }, body: { error: { message: 'bad', code: 'invalid_value' } } };
    const { post } = gateway({ primary: [leaky] });
    const response = await post('/v1/chat/completions', chat);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(response.headers.get('x-echo')).toBe('[redacted]');
  });

  it('accepts the Bearer scheme in any case', async () => {
    const { post } = gateway({ primary: [ok] });
    expect((await post('/v1/chat/completions', chat, { authorization: 'bearer gk-test' })).status).toBe(200);
    expect((await post('/v1/chat/completions', chat, { authorization: 'BEARER  gk-test' })).status).toBe(200);
  });

  it('forwards a body without the byte order mark it was sent with', async () => {
    const { app, transport } = gateway({ primary: [ok] });
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(chat)]);
    const response = await app.request('/v1/chat/completions', { method: 'POST', body: withBom, headers: { 'content-type': 'application/json', ...auth } });
    expect(response.status).toBe(200);
    expect(new Uint8Array(transport.calls[0]!.request.body as Uint8Array)[0]).toBe('{'.charCodeAt(0));
  });

  it('names the bad field of a config, including core\'s fields and missing environment variables', () => {
    expect(() => loadConfig({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['k'], router: { maxAtempts: 3 } }, {})).toThrow(/router: .*"maxAtempts"/);
    expect(() => loadConfig({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['k'], store: { redis: 'redis://[::zz' } }, {})).toThrow(/store\.redis/);
    expect(() => loadConfig({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', weight: -2 }], gatewayKeys: ['k'] }, {})).toThrow(/endpoints\[0\]\.weight/);
    expect(() => loadConfig({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: { env: 'NOPE_KEY' } }], gatewayKeys: ['k'] }, {})).toThrow(
      /endpoints\[0\]\.apiKey: environment variable NOPE_KEY is not set/,
    );
    expect(() => loadConfig({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1' }], gatewayKeys: ['k'], router: { maxAttempts: 0 } }, {})).toThrow(/router\.maxAttempts/);
    expect(loadConfig({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: { env: 'KEY' } }], gatewayKeys: [{ env: 'GK' }] }, { KEY: 'sk-1', GK: 'gk-1' }).gatewayKeys).toEqual(['gk-1']);
  });
});

describe('gateway health and metrics', () => {
  it('reports endpoint health, 503 when nothing can serve', async () => {
    const quota = { status: 429, body: { error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'quota' } } };
    const { app, post } = gateway({ primary: [quota] });
    expect((await app.request('/healthz')).status).toBe(200);
    await post('/v1/chat/completions', chat);
    const response = await app.request('/healthz');
    expect(response.status).toBe(503);
    expect((await response.json()).endpoints[0]).toMatchObject({ name: 'primary', available: false });
  });

  it('stays 200 while every endpoint only rests after a 503: routing still uses them (attack 20, M1)', async () => {
    const overloaded = { status: 503, body: { error: { message: 'overloaded' } } };
    const { app, post, clock } = gateway({ primary: [overloaded, ok] }, { router: { maxAttempts: 1 } });
    expect((await post('/v1/chat/completions', chat)).status).toBe(503);
    const health = await app.request('/healthz');
    expect(health.status).toBe(200);
    const body = await health.json();
    expect(body.status).toBe('ok');
    expect(body.endpoints[0]).toMatchObject({ available: true, restingSeconds: 2, cooldownSeconds: 0 });
    expect(await (await app.request('/metrics')).text()).toContain('detour_endpoint_resting_seconds{endpoint="primary"} 2');
    // And routing agrees: the next request is served at once.
    expect((await post('/v1/chat/completions', chat)).status).toBe(200);
    clock.advance(2000);
    expect((await (await app.request('/healthz')).json()).endpoints[0].restingSeconds).toBe(0);
  });

  it('exposes Prometheus metrics for requests, attempts, failovers, breakers, latency, tokens and cost — and no keys', async () => {
    const { app, post } = gateway({ primary: [{ status: 500, body: { error: { message: 'boom' } } }], backup: [ok] });
    await post('/v1/chat/completions', chat);
    const text = await (await app.request('/metrics')).text();
    for (const series of [
      'detour_requests_total{outcome="ok",stream="false",api="chat"} 1',
      'detour_attempts_total{endpoint="primary",kind="server_error"} 1',
      'detour_failovers_total{from="primary",to="backup"} 1',
      'detour_breaker_state{endpoint="primary"} 0',
      'detour_request_duration_seconds_count{stream="false",api="chat"} 1',
      'detour_time_to_first_byte_seconds_count{endpoint="backup"} 1',
      'detour_tokens_total{endpoint="backup",model="gpt-4.1",type="output",api="chat"} 5',
      'detour_cost_usd_total{endpoint="backup",model="gpt-4.1",outcome="success",api="chat"}',
      'detour_endpoint_cooldown_seconds{endpoint="primary"} 0',
    ]) {
      expect(text).toContain(series);
    }
    expect(text).not.toContain('sk-secret');
  });

  it('keeps a label for a model the config names however many other names callers send first', async () => {
    // The first 200 names any caller sent took every label for good: the models the gateway serves counted as `other`.
    const { app, post } = gateway(
      { primary: [ok] },
      {
        endpoints: [{ name: 'primary', baseUrl: 'https://primary.example/v1', apiKey: 'sk-secret-primary-0123456789' }],
        router: { fallbacks: { 'gpt-4.1': { contextLength: 'gpt-4.1-long' } } },
      },
    );
    for (let index = 0; index < 210; index += 1) await post('/v1/chat/completions', JSON.stringify({ model: `junk-${index}`, messages: [] }));
    await post('/v1/chat/completions', chat);
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('detour_tokens_total{endpoint="primary",model="gpt-4.1",type="output",api="chat"} 5');
    expect(text).toContain('model="junk-199"');
    expect(text).not.toContain('model="junk-200"');
    expect(text).toContain('model="other"');
  });

  it('counts a retry under the endpoint whose failure it retries, and a wait that retries none not at all', async () => {
    // With `preferWaitMs`, a request arriving while the preferred endpoint cools after another's 429 waits for it
    // before its own first attempt: no failure of its own to retry, its wait was counted with `endpoint=""`.
    const rateLimited = { status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'Rate limit reached.', type: 'requests', code: 'rate_limit_exceeded' } } };
    const { app, post, router } = gateway({ cheap: [rateLimited, ok, ok], dear: [ok, ok] }, { router: { preferWaitMs: 3000 } });
    // The second request reaches the router as the first's 429 sets the cooldown, before the first sleeps (the fake
    // clock's sleep moves time at once): straight to the router, since the app would hand it over a few ticks later.
    let second: Promise<unknown> | undefined;
    router.subscribe((event) => {
      if (event.type === 'cooldown-start') second ??= router.send({ path: '/chat/completions', headers: { 'content-type': 'application/json' }, body: chat });
    });
    expect((await post('/v1/chat/completions', chat)).status).toBe(200);
    expect(await second).toMatchObject({ endpoint: 'cheap' });
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('detour_retries_total{endpoint="cheap"} 1');
    expect(text).not.toContain('endpoint=""');
  });
});
