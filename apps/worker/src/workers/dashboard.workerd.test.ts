import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import OpenAI from 'openai';
import { describe, expect, inject, it } from 'vitest';
import worker, { type WorkerEnv } from './worker';

// The operator's view through the Workers entry, in workerd: the admin key comes from the DETOUR_ADMIN_KEY binding,
// and /admin/state shows what this isolate saw (its traffic) and knows (the endpoints' state).
const upstreams = inject('gatewayUpstreams');
const adminKey = 'admin-key-for-workerd';
const env: WorkerEnv = {
  DETOUR_CONFIG: JSON.stringify({
    endpoints: [
      { name: 'limited', baseUrl: upstreams.limited, apiKey: 'sk-limited-secret', priority: 0 },
      { name: 'healthy', baseUrl: upstreams.healthy, apiKey: 'sk-healthy-secret', priority: 1 },
    ],
    gatewayKeys: [{ key: 'gk-workerd-dashboard', name: 'edge-team' }],
  }),
  DETOUR_ADMIN_KEY: adminKey,
};

const call = async (input: string | URL | Request, init?: RequestInit) => {
  const context = createExecutionContext();
  const response = await worker.fetch(new Request(input, init), env, context);
  await waitOnExecutionContext(context);
  return response;
};

interface State {
  scope: string;
  endpoints: { name: string; state: string; cooldownUntil: number | null; signal: string | null; served: number; trafficShare: number | null; spendUsd: number }[];
  timeline: { kind: string; endpoint: string }[];
  spend: { byKey: { key: string; totalUsd: number }[] };
}

describe('the dashboard inside workerd', () => {
  it('refuses without the admin key and shows the isolate\'s incident with it', async () => {
    expect((await call('https://gateway.example/admin/state')).status).toBe(401);
    expect((await call('https://gateway.example/dashboard', { headers: { authorization: 'Bearer gk-workerd-dashboard' } })).status).toBe(401);

    const openai = new OpenAI({ baseURL: 'https://gateway.example/v1', apiKey: 'gk-workerd-dashboard', maxRetries: 0, fetch: call });
    for (let index = 0; index < 3; index += 1) await openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }] });

    const response = await call('https://gateway.example/admin/state', { headers: { authorization: `Bearer ${adminKey}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('secret');
    const state = JSON.parse(text) as State;
    expect(state.scope).toMatch(/Worker isolate/);
    const [limited, healthy] = state.endpoints;
    expect(limited).toMatchObject({ name: 'limited', state: 'cooling', signal: expect.stringMatching(/^HTTP 429, retry-after/) });
    expect(limited!.cooldownUntil).toBeGreaterThan(Date.now());
    expect(healthy).toMatchObject({ name: 'healthy', served: 3, trafficShare: 1 });
    expect(healthy!.spendUsd).toBeGreaterThan(0);
    expect(state.timeline.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['cooldown', 'failover']));
    expect(state.spend.byKey).toMatchObject([{ key: 'edge-team' }]);

    const page = await call('https://gateway.example/dashboard', { headers: { authorization: `Basic ${btoa(`ops:${adminKey}`)}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Detour gateway dashboard</title>');
  });
});
