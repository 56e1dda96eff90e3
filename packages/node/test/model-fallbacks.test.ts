import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type NodeDetourFetch } from '../src/index';

const upstreams: ChaosUpstream[] = [];
const fetches: NodeDetourFetch[] = [];
afterEach(async () => {
  await Promise.all(fetches.splice(0).map((detourFetch) => detourFetch.router.close()));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

describe('model fallbacks through createFetch and the openai SDK', () => {
  it('a prompt too long for gpt-4.1-mini is answered by gpt-4.1 on another endpoint, sent once to each model', async () => {
    // One provider whose small model has a small window, and another serving the large model under its own name.
    const small = await startChaosUpstream({ name: 'small', contextWindows: { 'gpt-4.1-mini': 100 } });
    const large = await startChaosUpstream({ name: 'large', contextWindows: { 'gpt-4.1-mini': 100 } });
    upstreams.push(small, large);
    const detourFetch = createFetch({
      endpoints: [
        { name: 'small', baseUrl: small.baseUrl, apiKey: 'sk-small', models: ['gpt-4.1-mini'] },
        { name: 'large', baseUrl: large.baseUrl, apiKey: 'sk-large', models: { 'gpt-4.1': 'gpt-4.1-2025-04-14' } },
      ],
      fallbacks: { 'gpt-4.1-mini': { contextLength: 'gpt-4.1' } },
    });
    fetches.push(detourFetch);
    const openai = new OpenAI({ apiKey: 'caller-key', fetch: detourFetch, maxRetries: 0 });
    const long = 'word '.repeat(200);

    const { data, response } = await openai.chat.completions
      .create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: long }] })
      .withResponse();
    expect(response.headers.get('x-detour-model')).toBe('gpt-4.1');
    expect(response.headers.get('x-detour-endpoint')).toBe('large');
    expect(data.model).toBe('gpt-4.1-2025-04-14');
    expect(data.choices[0]?.message.content).toContain('Hello from large.');
    expect(small.stats().byOutcome).toEqual({ 'context-length': 1 });
    expect(large.stats().byModel).toEqual({ 'gpt-4.1-2025-04-14': 1 });

    // A short prompt stays on the small model.
    const short = await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(short.response.headers.get('x-detour-model')).toBe('gpt-4.1-mini');
  });

  it('without a fallback the caller gets the provider’s 400 after one attempt', async () => {
    const small = await startChaosUpstream({ name: 'small', contextWindows: { 'gpt-4.1-mini': 100 } });
    const other = await startChaosUpstream({ name: 'other', contextWindows: { 'gpt-4.1-mini': 100 } });
    upstreams.push(small, other);
    const detourFetch = createFetch({
      endpoints: [
        { name: 'small', baseUrl: small.baseUrl, apiKey: 'sk-small' },
        { name: 'other', baseUrl: other.baseUrl, apiKey: 'sk-other', priority: 1 },
      ],
    });
    fetches.push(detourFetch);
    const openai = new OpenAI({ apiKey: 'caller-key', fetch: detourFetch, maxRetries: 0 });
    const error = await openai.chat.completions
      .create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'word '.repeat(200) }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
    expect(small.stats().total + other.stats().total).toBe(1);
  });
});
