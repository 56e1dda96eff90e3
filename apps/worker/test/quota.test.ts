import { createRouter } from '@detour/core';
import { chatCompletion, createFakeClock, createScriptedTransport } from '@detour/core/testing';
import { createFetchTransport } from '@detour/edge';
import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/load-config';
import { createGatewayMetrics } from '../src/metrics/gateway-metrics';

// Issue 17: three upstreams behind the testkit's honest token-bucket limiter, with different request limits, driven
// at 80 % of their aggregate capacity on one fake clock shared by the gateway and the upstreams. Deterministic:
// requests go in bursts sent together, and the clock moves only between bursts.

const upstreams: ChaosUpstream[] = [];
afterEach(async () => {
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const capacities = [6, 12, 18];
const chat = JSON.stringify({ model: 'gpt-4.1', max_tokens: 8, messages: [{ role: 'user', content: 'Say hello' }] });

/** `requests` in bursts of `burst` sent together (the clock still moves only between bursts), at `load` of capacity. */
const drive = async (admission: Record<string, unknown>, load: number, requests: number, burst = 12) => {
  const clock = createFakeClock(1_700_000_000_000);
  const started = await Promise.all(
    capacities.map((rpm, index) => startChaosUpstream({ name: `u${index}`, limiter: { requestsPerMinute: rpm, tokensPerMinute: rpm * 100 }, now: clock.now })),
  );
  upstreams.push(...started);
  const config = loadConfig(
    {
      endpoints: started.map((upstream) => ({ name: upstream.name, baseUrl: upstream.baseUrl, apiKey: `sk-${upstream.name}` })),
      gatewayKeys: ['gk-test', { key: 'gk-batch', priority: 'low' }],
      router: { admission },
    },
    {},
  );
  const router = createRouter(config.router, { transport: createFetchTransport(), clock, sleep: clock.sleep, random: () => 0.5 });
  const metrics = createGatewayMetrics(router, clock.now);
  const app = createApp({ config, router, metrics, now: clock.now });
  const intervalMs = 60_000 / (capacities.reduce((sum, rpm) => sum + rpm, 0) * load);
  const statuses: number[] = [];
  const retryAfter: number[] = [];
  const send = async () => {
    const response = await app.request('/v1/chat/completions', {
      method: 'POST', body: chat, headers: { 'content-type': 'application/json', authorization: 'Bearer gk-test' },
    });
    statuses.push(response.status);
    if (response.status === 503) retryAfter.push(Number(response.headers.get('retry-after')));
    await response.arrayBuffer();
  };
  for (let index = 0; index < requests; index += burst) {
    clock.advance(intervalMs * burst);
    await Promise.all(Array.from({ length: burst }, send));
  }
  const limited = started.reduce((sum, upstream) => sum + (upstream.stats().byOutcome['rate-limit'] ?? 0), 0);
  return { statuses, retryAfter, limited, app, metrics, router };
};

describe('admission behind the gateway', () => {
  it('draws no upstream 429 at 80 % of aggregate capacity, and every caller is served', async () => {
    const { statuses, limited, app, metrics } = await drive({}, 0.8, 180);
    expect(limited).toBe(0);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const health = await (await app.request('/healthz')).json();
    expect(health.queue).toEqual({ depth: 0, high: 0, normal: 0, low: 0, reserved: 0 });
    expect(Object.keys(health.endpoints[0].quotaRemaining)).toEqual(['requests', 'tokens']);
    const text = await metrics.render();
    expect(text).toMatch(/detour_endpoint_quota_remaining\{endpoint="u0",type="requests"\} \d/);
    expect(text).toMatch(/detour_token_estimate_ratio_bucket\{endpoint="u\d",kind="input"/);
    expect(text).toContain('detour_queue_depth{priority="low"} 0');
  });

  // Queued waits need the clock to move while a burst is in flight, which this driver does not do: with no queue,
  // admission refuses what cannot fit at once (503 + retry-after) rather than letting it draw a 429.
  it('above capacity, refuses fast instead of drawing 429s, where without admission the upstreams refuse', async () => {
    const on = await drive({ maxQueueMs: 0 }, 1.5, 180);
    const off = await drive({ enabled: false }, 1.5, 180);
    expect(on.limited).toBe(0);
    expect(new Set(on.statuses)).toEqual(new Set([200, 503]));
    expect(on.retryAfter.every((seconds) => seconds >= 1 && seconds <= 60)).toBe(true);
    expect(off.limited).toBeGreaterThan(0);
    // /healthz says what is left and when each endpoint's quota is whole again, as the providers' resets do.
    const health = await (await on.app.request('/healthz')).json();
    const resets = health.endpoints.map((endpoint: { quotaResetSeconds: Record<string, number> }) => endpoint.quotaResetSeconds.requests);
    expect(resets.every((seconds: number) => seconds >= 0 && seconds <= 60)).toBe(true);
    expect(resets.some((seconds: number) => seconds > 0)).toBe(true);
  });

  it("takes the priority from x-detour-priority, else from the caller's gateway key", async () => {
    const clock = createFakeClock();
    const config = loadConfig(
      {
        endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a-0123456789', limits: { rpm: 1 } }],
        gatewayKeys: ['gk-test', { key: 'gk-batch', priority: 'low' }],
        router: { admission: { maxQueueMs: 0 } },
      },
      {},
    );
    const transport = createScriptedTransport({ a: [{ body: chatCompletion('hello') }] }, { now: clock.now });
    const router = createRouter(config.router, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
    const app = createApp({ config, router, metrics: createGatewayMetrics(router, clock.now), now: clock.now });
    const refused: string[] = [];
    router.subscribe((event) => {
      if (event.type === 'admission-refuse') refused.push(event.priority);
    });
    const post = (headers: Record<string, string>) =>
      app.request('/v1/chat/completions', { method: 'POST', body: chat, headers: { 'content-type': 'application/json', ...headers } });
    expect((await post({ authorization: 'Bearer gk-test' })).status).toBe(200);
    const refusal = await post({ authorization: 'Bearer gk-batch' });
    expect(refusal.status).toBe(503);
    expect(refusal.headers.get('retry-after')).toBe('60');
    await post({ authorization: 'Bearer gk-batch', 'x-detour-priority': 'HIGH' });
    await post({ authorization: 'Bearer gk-test', 'x-detour-priority': 'urgent!' });
    expect(refused).toEqual(['low', 'high', 'normal']);
    // The header is Detour's own: never sent upstream.
    expect(transport.calls[0]!.request.headers['x-detour-priority']).toBeUndefined();
  });

  it('names a per-key priority entry whose secret is missing, and refuses an unknown class', () => {
    const endpoints = [{ name: 'a', baseUrl: 'https://a.example/v1' }];
    expect(() => loadConfig({ endpoints, gatewayKeys: [{ key: { env: 'MISSING_KEY' }, priority: 'low' }] }, {})).toThrow(/gatewayKeys\[0\]\.key/);
    expect(() => loadConfig({ endpoints, gatewayKeys: [{ key: 'gk', priority: 'urgent' }] }, {})).toThrow(/gatewayKeys/);
    const config = loadConfig({ endpoints, gatewayKeys: ['gk-a', { key: { env: 'BATCH_KEY' }, priority: 'low' }] }, { BATCH_KEY: 'gk-b' });
    expect(config.gatewayKeys).toEqual(['gk-a', 'gk-b']);
    expect(config.gatewayKeyPriorities).toEqual([undefined, 'low']);
  });
});
