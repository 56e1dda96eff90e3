import { createFakeClock } from '@detour/core/testing';
import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type NodeDetourFetch } from '../src/index';

// Attack 24, S5, on real sockets with the real openai SDK through createFetch: one success whose headers say the key's
// tokens are spent for 24 hours, amid answers that say a minute's limit has plenty left, is doubted (the refill it
// implies is 1,440 times slower than the last reading taught), and no longer refuses the next minutes' requests.

const upstreams: ChaosUpstream[] = [];
const fetches: NodeDetourFetch[] = [];
afterEach(async () => {
  await Promise.all(fetches.splice(0).map((detourFetch) => detourFetch.router.close()));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const truthful = {
  'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': '590', 'x-ratelimit-reset-requests': '1s',
  'x-ratelimit-limit-tokens': '150000', 'x-ratelimit-remaining-tokens': '140000', 'x-ratelimit-reset-tokens': '4s',
};
const answer = {
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4.1',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 },
};

describe('one success that says the key is spent for a day', () => {
  it('is doubted: the next requests are served', async () => {
    const upstream = await startChaosUpstream({
      name: 'only',
      script: [
        { when: { nth: [2] }, fault: { type: 'status', status: 200, body: answer, headers: { ...truthful, 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '24h' } } },
        { fault: { type: 'status', status: 200, body: answer, headers: truthful } },
      ],
    });
    upstreams.push(upstream);
    const clock = createFakeClock();
    const detourFetch = createFetch(
      { endpoints: [{ name: 'only', baseUrl: upstream.baseUrl, apiKey: 'sk-only' }], admission: { maxQueueMs: 0 } },
      { clock, sleep: clock.sleep, random: () => 0 },
    );
    fetches.push(detourFetch);
    const openai = new OpenAI({ apiKey: 'unused', baseURL: 'https://detour.invalid/v1', fetch: detourFetch, maxRetries: 0 });
    const ask = () => openai.chat.completions.create({ model: 'gpt-4.1', max_tokens: 100, messages: [{ role: 'user', content: 'Say hello' }] });
    const served: boolean[] = [];
    for (let index = 0; index < 30; index += 1) {
      served.push(await ask().then(() => true, () => false));
      // Two seconds apart: a normal request leaves a second of refill for higher classes (`priority-reserve.ts`).
      clock.advance(2000);
    }
    // Before: every request after the second was refused (503 from Detour: no endpoint can take it) for a minute.
    expect(served.filter(Boolean).length).toBe(30);
    expect(upstream.stats().total).toBe(30);
  });
});
