import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// Cost defects found by the ninth attack (docs/attacks/ninth). Each test here failed on the code before its fix.

type CostRecord = Extract<RouterEvent, { type: 'cost-record' }>;

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const endpoints = Object.keys(scripts).map((name) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}` }));
  const router = createRouter({ endpoints, rescue: 'off', ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0 });
  const costs: CostRecord[] = [];
  router.subscribe((event) => {
    if (event.type === 'cost-record') costs.push(event);
  });
  return { router, costs };
};

const drain = async (stream: AsyncIterable<Uint8Array> | undefined) => {
  try {
    for await (const chunk of stream ?? []) void chunk;
  } catch {
    // a cut stream fails its reader; the cost is what is asserted
  }
};

const messages = { path: '/messages', body: JSON.stringify({ model: 'claude-opus-4-1', max_tokens: 1024, stream: true, messages: [{ role: 'user', content: 'hello' }] }) };
const anthropicEndpoint = (name: string) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, provider: 'anthropic' as const });
const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

describe('the ninth attack: costs', () => {
  it(`estimates the output of an Anthropic stream cut after message_start, not its placeholder output count`, async () => {
    // message_start says output_tokens 1; 200 deltas followed, then the connection broke before any message_delta.
    const start = event('message_start', { message: { id: 'm', type: 'message', role: 'assistant', content: [], model: 'claude-opus-4-1', usage: { input_tokens: 30, output_tokens: 1 } } });
    const deltas = Array.from({ length: 200 }, (_, index) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: `w${index} ` } }));
    const clock = createFakeClock();
    const transport = createScriptedTransport(
      { a: [{ headers: { 'content-type': 'text/event-stream' }, events: [start, event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }), ...deltas], cut: { afterEvents: 202, mode: 'error' } }] },
      { now: clock.now, advance: clock.advance },
    );
    const router = createRouter({ endpoints: [anthropicEndpoint('a')], rescue: 'off' } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0 });
    const costs: CostRecord[] = [];
    router.subscribe((routed) => {
      if (routed.type === 'cost-record') costs.push(routed);
    });
    const served = await router.send(messages);
    await drain(served.stream);
    expect(costs).toHaveLength(1);
    expect(costs[0]).toMatchObject({ estimated: true, outcome: 'failed', usage: { inputTokens: 30, outputTokens: 200 } });
    // claude-opus-4-1: $15 input, $75 output per million.
    expect(costs[0]!.costUsd).toBeCloseTo((30 * 15 + 200 * 75) / 1e6, 10);
  });

  it('prices a stream that failed in its first read by the usage its terminal event reported', async () => {
    // A `response.failed` with usage, arriving in the same read as `response.created`: priced at the estimate before,
    // and at the reported usage when the same bytes came in two reads.
    const failed = [
      event('response.created', { response: { id: 'resp_1', status: 'in_progress' } }),
      event('response.failed', { response: { id: 'resp_1', status: 'failed', error: { code: 'server_error', message: 'boom' }, usage: { input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 500 } } }),
    ].join('');
    const { router, costs } = setup({ a: [{ headers: { 'content-type': 'text/event-stream' }, events: [failed] }], b: [{ headers: { 'content-type': 'text/event-stream' }, events: [event('response.completed', { response: { id: 'resp_2', object: 'response', status: 'completed', output: [], usage: { input_tokens: 10, output_tokens: 5 } } })] }] });
    await router.send({ path: '/responses', body: JSON.stringify({ model: 'gpt-4.1', input: 'hello', stream: true }) });
    const cost = costs.find((record) => record.endpoint === 'a');
    expect(cost).toMatchObject({ estimated: false, outcome: 'failed', usage: { inputTokens: 1000, cachedInputTokens: 800, outputTokens: 500 } });
  });

  it('estimates a JSON answer that came without usage, rather than leaving it out of every cost total', async () => {
    const answer = { id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(400) }, finish_reason: 'stop' }] };
    const { router, costs } = setup({ a: [{ body: answer }] });
    const served = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(served.costUsd).toBeGreaterThan(0);
    expect(costs).toMatchObject([{ outcome: 'success', estimated: true }]);
    // 400 characters of content, and the few short strings around it, at about 4 characters a token.
    expect(costs[0]!.usage.outputTokens).toBeGreaterThanOrEqual(100);
    expect(costs[0]!.usage.outputTokens).toBeLessThan(110);
  });

  it('does not price a token count, which generates nothing', async () => {
    const count = { input_tokens: 12_018 };
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: [{ body: count }] }, { now: clock.now, advance: clock.advance });
    const router = createRouter({ endpoints: [anthropicEndpoint('a')] } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0 });
    const costs: CostRecord[] = [];
    router.subscribe((routed) => {
      if (routed.type === 'cost-record') costs.push(routed);
    });
    const served = await router.send({ path: '/messages/count_tokens', body: JSON.stringify({ model: 'claude-opus-4-1', messages: [{ role: 'user', content: 'x'.repeat(48_000) }] }) });
    expect(served.costUsd).toBeUndefined();
    expect(costs).toEqual([]);
  });

  it('estimates an answer whose usage no response can have, never pricing it at $0 or at billions', async () => {
    const lying = [
      { prompt_tokens: -5, completion_tokens: -7 },
      { prompt_tokens: '12', completion_tokens: '30' },
      { prompt_tokens: 1e308, completion_tokens: 1e308 },
    ];
    for (const usage of lying) {
      const { router, costs } = setup({ a: [{ body: { ...chatCompletion('fine'), usage } }] });
      const served = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
      expect(costs).toMatchObject([{ estimated: true }]);
      expect(served.costUsd).toBeGreaterThan(0);
      expect(served.costUsd).toBeLessThan(0.01);
    }
    const anthropic = { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hi' }], usage: { input_tokens: 1e9, cache_read_input_tokens: 1e9, cache_creation_input_tokens: 1e9, output_tokens: 1e9 } };
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: [{ body: anthropic }] }, { now: clock.now, advance: clock.advance });
    const router = createRouter({ endpoints: [anthropicEndpoint('a')] } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0 });
    const served = await router.send({ path: '/messages', body: JSON.stringify({ model: 'claude-opus-4-1', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(served.costUsd).toBeLessThan(0.01);
  });

  it(`estimates a chat stream's output from the chunks that carry output, not [DONE] or the finish chunk`, async () => {
    const chunk = (delta: object, finish: string | null = null) => JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
    const { router, costs } = setup({ a: [{ headers: { 'content-type': 'text/event-stream' }, events: [chunk({ content: 'only' }), chunk({}, 'stop'), '[DONE]'] }] }, { streamUsage: 'passthrough' });
    const served = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    await drain(served.stream);
    expect(costs).toMatchObject([{ estimated: true, usage: { outputTokens: 1 } }]);
  });
});

describe('the estimate of a JSON answer without usage', () => {
  it('walks no more than 100,000 nodes of it, however large the answer', async () => {
    // 300,000 four-character strings: one token each, were every one walked.
    const answer = { object: 'list', data: new Array(300_000).fill('abcd'), model: 'text-embedding-3-small' };
    const { router, costs } = setup({ a: [{ body: answer }] });
    await router.send({ path: '/embeddings', body: JSON.stringify({ model: 'text-embedding-3-small', input: 'hi' }) });
    expect(costs).toMatchObject([{ estimated: true }]);
    expect(costs[0]!.usage.outputTokens).toBeGreaterThan(90_000);
    expect(costs[0]!.usage.outputTokens).toBeLessThanOrEqual(100_010);
  });
});
