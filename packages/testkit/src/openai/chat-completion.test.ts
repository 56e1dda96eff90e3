import { describe, expect, it } from 'vitest';
import { chat, post, startUpstream } from '../../test/http';

describe('POST /v1/chat/completions', () => {
  it('answers in the exact OpenAI chat.completion shape, naming the upstream', async () => {
    const upstream = await startUpstream({ name: 'primary' });
    const response = await chat(upstream, { model: 'my-model' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = await response.json();
    expect(body).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'my-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello from primary. This is a scripted reply', refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 3,
        completion_tokens: 8,
        total_tokens: 11,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: expect.any(Object),
      },
      service_tier: 'default',
      system_fingerprint: null,
    });
  });

  it('derives prompt tokens from the input length, about four characters a token', async () => {
    const upstream = await startUpstream();
    const messages = [
      { role: 'system', content: 'x'.repeat(40) },
      { role: 'user', content: [{ type: 'text', text: 'y'.repeat(41) }] },
    ];
    const body = await (await post(upstream, '/v1/chat/completions', { model: 'm', messages })).json();
    expect(body.usage.prompt_tokens).toBe(21);
  });

  it('counts at least one prompt token for an empty prompt', async () => {
    const upstream = await startUpstream();
    const body = await (await post(upstream, '/v1/chat/completions', { model: 'm', messages: [] })).json();
    expect(body.usage.prompt_tokens).toBe(1);
  });

  it('makes the reply as many words long as completionTokens, and counts them as completion tokens', async () => {
    const upstream = await startUpstream({ name: 'backup', completionTokens: 20 });
    const body = await (await chat(upstream)).json();
    expect(body.choices[0].message.content.split(' ')).toHaveLength(20);
    expect(body.choices[0].message.content).toMatch(/^Hello from backup\./);
    expect(body.usage.completion_tokens).toBe(20);
  });

  it('sends a request id, OpenAI rate-limit headers and the processing time on every response', async () => {
    const upstream = await startUpstream();
    const first = await chat(upstream);
    const second = await chat(upstream);
    for (const response of [first, second]) {
      expect(response.headers.get('x-ratelimit-limit-requests')).toMatch(/^\d+$/);
      expect(response.headers.get('x-ratelimit-remaining-requests')).toMatch(/^\d+$/);
      expect(response.headers.get('x-ratelimit-reset-requests')).toMatch(/^[\d.]+(ms|s)$/);
      expect(response.headers.get('x-ratelimit-limit-tokens')).toMatch(/^\d+$/);
      expect(response.headers.get('x-ratelimit-remaining-tokens')).toMatch(/^\d+$/);
      expect(response.headers.get('x-ratelimit-reset-tokens')).toMatch(/^[\d.]+(ms|s)$/);
      expect(response.headers.get('openai-processing-ms')).toMatch(/^\d+$/);
      expect(response.headers.get('date')).not.toBeNull();
    }
    expect(first.headers.get('x-request-id')).toMatch(/^req_/);
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
  });

  it('tells two upstreams apart by their reply', async () => {
    const primary = await startUpstream({ name: 'primary' });
    const backup = await startUpstream({ name: 'backup' });
    const contents = await Promise.all(
      [primary, backup].map(async (upstream) => (await (await chat(upstream)).json()).choices[0].message.content),
    );
    expect(contents[0]).toContain('primary');
    expect(contents[1]).toContain('backup');
  });

  it('exposes baseUrl for OpenAI clients and binds to 127.0.0.1 by default', async () => {
    const upstream = await startUpstream({ name: 'n' });
    expect(upstream.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(upstream.baseUrl).toBe(`${upstream.url}/v1`);
    expect(upstream.name).toBe('n');
  });
});
