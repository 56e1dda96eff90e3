import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { startUpstream } from '../../test/http';
import type { ChaosUpstream, RateLimitDialect } from '../types';

const clientFor = (upstream: ChaosUpstream): Anthropic => new Anthropic({ baseURL: upstream.url, apiKey: 'sk-ant-test', maxRetries: 0 });
const request = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Say hello.' }] };
const DIALECTS: RateLimitDialect[] = ['openai', 'anthropic', 'azure', 'groq', 'ietf', 'openrouter', 'gemini'];

describe('the @anthropic-ai/sdk 1.15.0 on /v1/messages', () => {
  it('sends Authorization: Bearer and anthropic-version 2026-10-21, and messages.create parses the JSON answer', async () => {
    const upstream = await startUpstream({ name: 'primary' });
    const message = await clientFor(upstream).messages.create(request);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from primary. This is a scripted reply' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 3, output_tokens: 8, cache_read_input_tokens: 0 });
    const headers = upstream.stats().requests[0]!.headers;
    expect(headers.authorization).toBe('Bearer sk-ant-test');
    expect(headers['anthropic-version']).toBe('2026-10-21');
  });

  it('messages.create with stream: true yields every event up to message_stop', async () => {
    const client = clientFor(await startUpstream({ name: 'primary', completionTokens: 3 }));
    const stream = await client.messages.create({ ...request, stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    expect(types).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(text).toBe('Hello from primary.');
  });

  it('messages.stream accumulates the final message with its usage and cache figures', async () => {
    const client = clientFor(await startUpstream({ name: 'primary' }));
    const system = [{ type: 'text' as const, text: 'x'.repeat(400), cache_control: { type: 'ephemeral' as const } }];
    const first = await client.messages.stream({ ...request, system }).finalMessage();
    expect(first.content[0]).toEqual({ type: 'text', text: 'Hello from primary. This is a scripted reply' });
    expect(first.usage).toMatchObject({ input_tokens: 3, cache_creation_input_tokens: 100, output_tokens: 8 });
    const repeat = await client.messages.stream({ ...request, system }).finalMessage();
    expect(repeat.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 100 });
  });

  it('messages.countTokens reads input_tokens', async () => {
    const client = clientFor(await startUpstream());
    expect(await client.messages.countTokens({ model: 'claude-sonnet-4-5', messages: request.messages })).toEqual({ input_tokens: 3 });
  });

  it.each(DIALECTS)('a %s 429 raises RateLimitError', async (dialect) => {
    const client = clientFor(await startUpstream({ script: [{ fault: { type: 'rate-limit', dialect } }] }));
    await expect(client.messages.create(request)).rejects.toBeInstanceOf(Anthropic.RateLimitError);
  });

  it('an anthropic 429 carries rate_limit_error, retry-after and the RFC 3339 resets', async () => {
    const upstream = await startUpstream({ now: () => Date.parse('2026-12-01T12:00:00Z'), script: [{ fault: { type: 'rate-limit', dialect: 'anthropic', retryAfterMs: 2_500 } }] });
    const error = await clientFor(upstream).messages.create(request).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 429, type: 'rate_limit_error' });
    const headers = (error as InstanceType<typeof Anthropic.RateLimitError>).headers;
    expect(headers.get('retry-after')).toBe('3');
    expect(headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(headers.get('anthropic-ratelimit-requests-reset')).toBe('2026-12-01T12:00:03Z');
  });

  it('529, credit balance, prompt too long and a bad key raise the matching SDK errors', async () => {
    const upstream = await startUpstream();
    const client = clientFor(upstream);
    const attempt = (): Promise<unknown> => client.messages.create(request).catch((caught: unknown) => caught);
    upstream.setScript([{ fault: { type: 'status', status: 529 } }]);
    const overloaded = await attempt();
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError);
    expect(overloaded).toMatchObject({ type: 'overloaded_error', apiMessage: 'Overloaded' });
    upstream.setScript([{ fault: { type: 'status', status: 500 } }]);
    expect(await attempt()).toMatchObject({ status: 500, type: 'api_error' });
    upstream.setScript([{ fault: { type: 'insufficient-quota' } }]);
    const broke = await attempt();
    expect(broke).toBeInstanceOf(Anthropic.BadRequestError);
    expect((broke as Error).message).toMatch(/credit balance is too low/);
    upstream.setScript([{ fault: { type: 'context-length' } }]);
    expect((await attempt()) as Error).toMatchObject({ type: 'invalid_request_error', apiMessage: expect.stringMatching(/^prompt is too long: \d+ tokens > 200000 maximum$/) });
    upstream.setScript([{ fault: { type: 'unauthorized' } }]);
    expect(await attempt()).toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('the honest limiter answers Anthropic 429s with its real levels on the Messages route', async () => {
    const upstream = await startUpstream({ now: () => 0, limiter: { requestsPerMinute: 2 } });
    const client = clientFor(upstream);
    const ok = await client.messages.create(request).withResponse();
    expect(ok.response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('1');
    await client.messages.create(request);
    const error = await client.messages.create(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const headers = (error as InstanceType<typeof Anthropic.RateLimitError>).headers;
    expect(headers.get('anthropic-ratelimit-requests-limit')).toBe('2');
    expect(headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(headers.get('retry-after')).toBe('30');
    expect(upstream.stats().byOutcome).toEqual({ ok: 2, 'rate-limit': 1 });
  });
});
