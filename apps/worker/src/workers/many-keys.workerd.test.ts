import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import worker, { type WorkerEnv } from './worker';

// A file of its own: the Worker builds one gateway per isolate, from the first env it is given.
const upstreams = inject('gatewayUpstreams');
const ask = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'hello' }] });

describe('gateway keys by the hundred inside workerd', () => {
  it('finds a key among many by its digest (node:crypto under nodejs_compat), and refuses a wrong one', async () => {
    const keys = Array.from({ length: 100 }, (_, index) => `gk-workerd-team-${index}`);
    const many: WorkerEnv = {
      DETOUR_CONFIG: JSON.stringify({ endpoints: [{ name: 'healthy', baseUrl: upstreams.healthy }], gatewayKeys: keys, router: { rescue: 'off' } }),
    };
    const status = async (key: string) => {
      const context = createExecutionContext();
      const response = await worker.fetch(
        new Request('https://gateway.example/v1/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(ask('m-any')) }),
        many,
        context,
      );
      await waitOnExecutionContext(context);
      return response.status;
    };
    expect(await status(keys[99]!)).toBe(200);
    expect(await status('gk-workerd-team-100')).toBe(401);
  });
});

