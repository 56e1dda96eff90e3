import { describe, expect, it } from 'vitest';
import type { Transport } from '../ports/transport';
import { createFakeClock } from '../testing/fake-clock';
import { createRouter } from '../engine/router';

// Attack 18c: a pool of hundreds of keys, each allowed one request a minute per model, says so on its answers
// (remaining 0, reset 60 s), and answers a second request in the minute with a 429. Admission must remember every
// (key, model) reading it has, or it sends requests to keys it already knows are spent.
describe('admission over a pool of 600 keys serving 2 models', () => {
  it('keeps every pair’s reading (1,200 > the default 1,024), so no request goes to a key it knows is spent', async () => {
    const encoder = new TextEncoder();
    const used = new Set<string>();
    let refused = 0;
    const limited = { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '1', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '60s' };
    const transport: Transport = async (request) => {
      const { model } = JSON.parse(new TextDecoder().decode(request.body as Uint8Array)) as { model: string };
      const pair = `${request.endpoint}|${model}`;
      const answer = (status: number, body: unknown, headers: Record<string, string>) => ({
        status, headers, headersLowerCase: true as const, body: (async function* () { yield encoder.encode(JSON.stringify(body)); })(), cancel: () => undefined,
      });
      if (used.has(pair)) {
        refused += 1;
        return answer(429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }, { ...limited, 'retry-after': '60' });
      }
      used.add(pair);
      return answer(200, { id: 'x', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }, limited);
    };
    const clock = createFakeClock();
    const endpoints = Array.from({ length: 600 }, (_, index) => ({ name: `key-${index}`, baseUrl: 'https://pool.example/v1', apiKey: `sk-pool-${String(index).padStart(6, '0')}` }));
    const router = createRouter({ endpoints }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
    const outcomes = new Map<string, number>();
    for (let index = 0; index < 1_200 * 2; index += 1) {
      const model = index % 2 === 0 ? 'model-a' : 'model-b';
      const code = await router.send({ path: '/chat/completions', body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) }).then(
        () => 'ok',
        (error: { code?: string }) => error.code ?? 'error',
      );
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
    }
    // Each pair served once; the rest refused fast, never sent to a spent key.
    expect(outcomes.get('ok')).toBe(1_200);
    expect(refused).toBe(0);
  });
});
