import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, inject, it } from 'vitest';
import { createMemoryStore } from '@detour/core';
import { createFetch, NoEndpointAvailableError } from '../src/index';

const upstreams = inject('upstreams');
const ask = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'Say hello' }] };
const client = (...names: (keyof typeof upstreams)[]) => clientWith({}, ...names);
const clientWith = (options: { rescue?: 'off' | 'continue' | 'continue-or-replay' }, ...names: (keyof typeof upstreams)[]) => {
  const detourFetch = createFetch({
    endpoints: names.map((name, index) => ({ name, baseUrl: upstreams[name], apiKey: `sk-${name}`, priority: index })),
    ...options,
  });
  return { detourFetch, openai: new OpenAI({ apiKey: 'caller-key', fetch: detourFetch, maxRetries: 0 }) };
};

describe('@detour/edge inside workerd', () => {
  it('runs in the Workers runtime, not Node', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers');
  });

  it('fails over on a 429 to the healthy endpoint', async () => {
    const { openai } = client('limited', 'healthy');
    const { data, response } = await openai.chat.completions.create(ask).withResponse();
    expect(data.choices[0]?.message.content).toContain('healthy');
    expect(response.headers.get('x-detour-endpoint')).toBe('healthy');
    expect(response.headers.get('x-detour-attempts')).toBe('2');
  });

  it('keeps state across requests: the throttled endpoint is skipped while it cools', async () => {
    const { openai } = client('limited', 'healthy');
    await openai.chat.completions.create(ask);
    const { response } = await openai.chat.completions.create(ask).withResponse();
    expect(response.headers.get('x-detour-attempts')).toBe('1');
  });

  it('keeps state in the store given in its options, shared by two fetches', async () => {
    const store = createMemoryStore();
    const endpoints = [
      { name: 'limited', baseUrl: upstreams.limited, apiKey: 'sk-limited', priority: 0 },
      { name: 'healthy', baseUrl: upstreams.healthy, apiKey: 'sk-healthy', priority: 1 },
    ];
    const first = new OpenAI({ apiKey: 'caller-key', fetch: createFetch({ endpoints, store }), maxRetries: 0 });
    const second = new OpenAI({ apiKey: 'caller-key', fetch: createFetch({ endpoints, store }), maxRetries: 0 });
    expect((await first.chat.completions.create(ask).withResponse()).response.headers.get('x-detour-attempts')).toBe('2');
    // The second fetch has never seen the 429, but its store has: it goes straight to the healthy endpoint.
    expect((await second.chat.completions.create(ask).withResponse()).response.headers.get('x-detour-attempts')).toBe('1');
  });

  it('fails over when a stream is cut before its first byte', async () => {
    const { openai } = client('cutBefore', 'healthy');
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('healthy');
  });

  it('makes the stream error, never end cleanly, when it is cut after the first byte (rescue off)', async () => {
    const { openai } = clientWith({ rescue: 'off' }, 'cutAfter', 'healthy');
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    const read = async () => {
      for await (const chunk of stream) void chunk;
    };
    await expect(read()).rejects.toThrow();
  });

  it('rescues a stream cut after the first byte: the healthy endpoint\'s replay repeats the delivered "Hello" and finishes it', async () => {
    const { openai } = client('cutAfter', 'healthy');
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    let text = '';
    const finishReasons: string[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishReasons.push(chunk.choices[0].finish_reason);
    }
    expect(text).toMatch(/^Hello from healthy\./);
    expect(finishReasons).toEqual(['stop']);
  });

  it('answers 503 with Retry-After when every endpoint is cooling', async () => {
    const { detourFetch, openai } = client('limited');
    await openai.chat.completions.create(ask).catch(() => undefined);
    const error = (await openai.chat.completions.create(ask).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(503);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    await expect(detourFetch.router.send({ path: '/chat/completions', body: JSON.stringify(ask) })).rejects.toBeInstanceOf(NoEndpointAvailableError);
  });

  it('fails over from a server error', async () => {
    const { openai } = client('broken', 'healthy');
    const { response } = await openai.chat.completions.create(ask).withResponse();
    expect(response.headers.get('x-detour-endpoint')).toBe('healthy');
  });

  it('fails over on a 429 with openai responses.create, JSON and stream', async () => {
    const { openai } = client('limited', 'healthy');
    const { data, response } = await openai.responses.create({ model: 'gpt-4.1', input: 'Say hello' }).withResponse();
    expect(data.output_text).toContain('Hello from healthy');
    expect(response.headers.get('x-detour-endpoint')).toBe('healthy');
    let text = '';
    for await (const event of await openai.responses.create({ model: 'gpt-4.1', input: 'Say hello', stream: true })) {
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(text).toContain('Hello from healthy');
  });

  describe('Anthropic Messages API', () => {
    const endpoints = [
      { name: 'overloaded', baseUrl: upstreams.overloaded, apiKey: 'sk-ant-overloaded', provider: 'anthropic' as const, priority: 0 },
      { name: 'healthy', baseUrl: upstreams.healthy, apiKey: 'sk-ant-healthy', provider: 'anthropic' as const, priority: 1 },
    ];
    const claude = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Say hello' }] };

    it('fails over on a 529 with the Anthropic SDK, JSON and stream', async () => {
      const anthropic = new Anthropic({ fetch: createFetch({ endpoints }), maxRetries: 0, apiKey: 'unused', baseURL: 'http://detour.invalid' });
      const { data, response } = await anthropic.messages.create(claude).withResponse();
      expect(data.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Hello from healthy') });
      expect(response.headers.get('x-detour-endpoint')).toBe('healthy');
      expect(response.headers.get('x-detour-attempts')).toBe('2');
      const message = await anthropic.messages.stream(claude).finalMessage();
      expect(message.stop_reason).toBe('end_turn');
    });

    it('fails over on a 529 for a raw /v1/messages call', async () => {
      const detourFetch = createFetch({ endpoints });
      const response = await detourFetch('https://api.anthropic.com/v1/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'unused', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(claude),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-detour-endpoint')).toBe('healthy');
      expect(await response.json()).toMatchObject({ type: 'message', stop_reason: 'end_turn' });
    });
  });
});
