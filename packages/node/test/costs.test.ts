import Anthropic from '@anthropic-ai/sdk';
import { startChaosUpstream, type ChaosUpstream, type FaultRule } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFetch, type NodeDetourFetch, type RouterEvent } from '../src/index';

// Costs of Responses and Messages calls through createFetch, against hand-computed values. Published prices per
// million tokens (the price table's rows): gpt-4.1 $2 input, $0.50 cached input, $8 output; claude-sonnet-4-5 $3
// input, $3.75 5-minute cache write, $6 1-hour cache write, $0.30 cache read, $15 output. The testkit counts a
// prompt's characters / 4 as its tokens ("Say hello" → 3) and answers 8 output tokens.
const upstreams: ChaosUpstream[] = [];
const fetches: NodeDetourFetch[] = [];
afterEach(async () => {
  await Promise.all(fetches.splice(0).map((detourFetch) => detourFetch.router.close()));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const upstream = async (name: string, script: FaultRule[] = []) => {
  const started = await startChaosUpstream({ name, script });
  upstreams.push(started);
  return started;
};

const setup = (endpoints: ChaosUpstream[], provider: 'openai' | 'anthropic') => {
  const detourFetch = createFetch({
    endpoints: endpoints.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-${target.name}`, provider, priority: index })),
  });
  fetches.push(detourFetch);
  const events: RouterEvent[] = [];
  detourFetch.router.subscribe((event) => events.push(event));
  const costRecords = () => events.filter((event) => event.type === 'cost-record');
  return {
    openai: new OpenAI({ fetch: detourFetch, maxRetries: 0, apiKey: 'unused' }),
    anthropic: new Anthropic({ fetch: detourFetch, maxRetries: 0, apiKey: 'unused', baseURL: 'http://detour.invalid' }),
    costRecords,
  };
};

// What the header carries: USD with 8 decimals.
const usd = (value: number) => value.toFixed(8);

describe('costs of Responses calls', () => {
  it('prices a JSON answer in x-detour-cost-usd, after a failover', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20_000 } }]);
    const backup = await upstream('backup');
    const { openai } = setup([primary, backup], 'openai');
    const { data, response } = await openai.responses.create({ model: 'gpt-4.1', input: 'Say hello' }).withResponse();
    expect(data.usage).toMatchObject({ input_tokens: 3, output_tokens: 8 });
    // 3 × $2 + 8 × $8 per million; the 429 cost nothing.
    expect(response.headers.get('x-detour-cost-usd')).toBe(usd((3 * 2 + 8 * 8) / 1e6));
  });

  it('prices cached input at the cached rate and reasoning inside the output', async () => {
    const usage = { input_tokens: 3000, input_tokens_details: { cached_tokens: 1000 }, output_tokens: 500, output_tokens_details: { reasoning_tokens: 200 }, total_tokens: 3500 };
    const body = {
      id: 'resp_cached', object: 'response', created_at: 1, status: 'completed', model: 'gpt-4.1', error: null, incomplete_details: null,
      output: [{ id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] }],
      usage,
    };
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 200, body } }]);
    const { openai, costRecords } = setup([primary], 'openai');
    const { response } = await openai.responses.create({ model: 'gpt-4.1', input: 'Say hello' }).withResponse();
    // 2,000 fresh input × $2 + 1,000 cached × $0.50 + 500 output (200 of them reasoning, billed as output) × $8.
    const expected = (2000 * 2 + 1000 * 0.5 + 500 * 8) / 1e6;
    expect(response.headers.get('x-detour-cost-usd')).toBe(usd(expected));
    expect(costRecords()).toEqual([
      expect.objectContaining({
        outcome: 'success', estimated: false, api: 'responses',
        usage: expect.objectContaining({ inputTokens: 3000, cachedInputTokens: 1000, outputTokens: 500, reasoningTokens: 200 }),
      }),
    ]);
    expect(costRecords()[0]).toMatchObject({ costUsd: expect.closeTo(expected, 12) });
  });

  it('reports a stream\'s cost in its cost-record event, from response.completed', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 500 } }]);
    const backup = await upstream('backup');
    const { openai, costRecords } = setup([primary, backup], 'openai');
    const stream = await openai.responses.create({ model: 'gpt-4.1', input: 'Say hello', stream: true });
    for await (const event of stream) void event;
    await vi.waitFor(() => expect(costRecords()).toHaveLength(1));
    expect(costRecords()[0]).toMatchObject({
      endpoint: 'backup', model: 'gpt-4.1', outcome: 'success', estimated: false, api: 'responses',
      usage: { inputTokens: 3, cachedInputTokens: 0, outputTokens: 8 },
      costUsd: expect.closeTo((3 * 2 + 8 * 8) / 1e6, 12),
    });
  });
});

describe('costs of Messages calls', () => {
  // A 400-character cached system prompt is 100 tokens of cache: written by the first call, read by the next.
  const system = (ttl?: '1h'): Anthropic.TextBlockParam[] => [
    { type: 'text', text: 'x'.repeat(400 * (ttl ? 2 : 1)), cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } },
  ];
  const ask = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Say hello' }] };

  it('prices a 5-minute cache write, then a cache read, in x-detour-cost-usd', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 529 } }]);
    const backup = await upstream('backup');
    const { anthropic, costRecords } = setup([primary, backup], 'anthropic');

    const first = await anthropic.messages.create({ ...ask, system: system() }).withResponse();
    expect(first.data.usage).toMatchObject({ input_tokens: 3, cache_creation_input_tokens: 100, cache_read_input_tokens: 0, output_tokens: 8 });
    // 3 × $3 + 100 written for 5 minutes × $3.75 + 8 × $15.
    expect(first.response.headers.get('x-detour-cost-usd')).toBe(usd((3 * 3 + 100 * 3.75 + 8 * 15) / 1e6));

    const second = await anthropic.messages.create({ ...ask, system: system() }).withResponse();
    expect(second.data.usage).toMatchObject({ input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 8 });
    // 3 × $3 + 100 read × $0.30 + 8 × $15.
    expect(second.response.headers.get('x-detour-cost-usd')).toBe(usd((3 * 3 + 100 * 0.3 + 8 * 15) / 1e6));

    expect(costRecords().map((record) => record.type === 'cost-record' && record.usage)).toEqual([
      expect.objectContaining({ inputTokens: 103, cachedInputTokens: 0, cacheWriteTokens: 100, cacheWrite1hTokens: 0, outputTokens: 8 }),
      expect.objectContaining({ inputTokens: 103, cachedInputTokens: 100, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 8 }),
    ]);
  });

  it('reports a stream\'s cost from message_start and message_delta, with a 1-hour cache write', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'rate-limit', dialect: 'anthropic', retryAfterMs: 20_000 } }]);
    const backup = await upstream('backup');
    const { anthropic, costRecords } = setup([primary, backup], 'anthropic');
    const message = await anthropic.messages.stream({ ...ask, system: system('1h') }).finalMessage();
    expect(message.usage).toMatchObject({ input_tokens: 3, cache_creation_input_tokens: 200, output_tokens: 8 });
    await vi.waitFor(() => expect(costRecords()).toHaveLength(1));
    // 3 × $3 + 200 written for an hour × $6 + 8 × $15 (message_delta's cumulative count, not message_start's 1).
    expect(costRecords()[0]).toMatchObject({
      endpoint: 'backup', model: 'claude-sonnet-4-5', outcome: 'success', estimated: false, api: 'messages',
      usage: { inputTokens: 203, cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 200, outputTokens: 8 },
      costUsd: expect.closeTo((3 * 3 + 200 * 6 + 8 * 15) / 1e6, 12),
    });
  });
});
