import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import worker, { type WorkerEnv } from './worker';

// DETOUR_CONFIG bound as an object, as a `[vars]` table in wrangler.toml binds it (attack 21, F2): it was read as JSON
// text and the Worker logged "text.slice is not a function".
const upstreams = inject('gatewayUpstreams');
const env: WorkerEnv = {
  DETOUR_CONFIG: { endpoints: [{ name: 'healthy', baseUrl: upstreams.healthy, apiKey: { env: 'KEY' } }], gatewayKeys: ['gk-object'] },
  KEY: 'sk-object-config',
};

describe('the Worker with its config bound as an object', () => {
  it('serves with it', async () => {
    const context = createExecutionContext();
    const response = await worker.fetch(new Request('https://gateway.example/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: 'Bearer gk-object', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
    }), env, context);
    await waitOnExecutionContext(context);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-detour-endpoint')).toBe('healthy');
    await response.text();
  });
});
