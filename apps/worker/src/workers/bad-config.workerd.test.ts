import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker, { type WorkerEnv } from './worker';

// A Worker whose DETOUR_CONFIG is not valid JSON, with a key written unquoted: what callers and the logs are told.
const env: WorkerEnv = {
  DETOUR_CONFIG: '{"endpoints": [{"name": "a", "baseUrl": "https://a.example/v1", "apiKey": sk-LEAKME-0123456789}], "gatewayKeys": ["gk"]}',
};

describe('the Worker with a bad config', () => {
  it('tells callers only that the config is bad, and its logs where, never quoting it', async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
    const answers = [];
    for (const path of ['/healthz', '/v1/chat/completions']) {
      const context = createExecutionContext();
      const response = await worker.fetch(new Request(`https://gateway.example${path}`, { method: path === '/healthz' ? 'GET' : 'POST', body: path === '/healthz' ? null : '{}' }), env, context);
      await waitOnExecutionContext(context);
      answers.push({ status: response.status, code: response.headers.get('x-detour-error'), body: await response.text() });
    }
    spy.mockRestore();
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 500, code: 'invalid_options' });
      expect(answer.body).toContain("DETOUR_CONFIG: has issues, named in the Worker's logs (wrangler tail)");
      expect(answer.body).not.toMatch(/LEAKME|endpoints|line \d/);
    }
    // Built once per isolate: logged once, with where the mistake is and not what surrounds it.
    expect(logged).toEqual([expect.stringMatching(/DETOUR_CONFIG: not valid JSON at line 1, column 75: unexpected character/)]);
    expect(logged.join('\n')).not.toContain('LEAKME');
  });
});
