import Anthropic from '@anthropic-ai/sdk';
import type { FaultRule } from '@detour/testkit';
import { describe, expect, it, vi } from 'vitest';
import { dialects, gatewayFor, gatewayKey, metricValue, upstream } from './sdk-harness';

// The official @anthropic-ai/sdk through the gateway on Node (what Claude Code does with ANTHROPIC_BASE_URL pointed
// at it), against testkit upstreams speaking Anthropic's Messages API over real sockets.

const anthropic = { endpoint: { provider: 'anthropic' } };
const client = (url: string, apiKey = gatewayKey) => new Anthropic({ baseURL: url, apiKey, maxRetries: 0 });
const ask = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Say hello.' }] };
const onMessages = (fault: FaultRule['fault']): FaultRule[] => [{ when: { path: '/v1/messages' }, fault }];

const storms: [string, FaultRule['fault']][] = [
  ...dialects.map((dialect): [string, FaultRule['fault']] => [`a ${dialect}-dialect 429`, { type: 'rate-limit', dialect, retryAfterMs: 15_000 }]),
  ['a 529 storm', { type: 'status', status: 529 }],
  ['a 500 storm', { type: 'status', status: 500 }],
];

describe('messages.create and messages.stream through the gateway', () => {
  it.each(storms)('succeed while the primary answers %s', async (_, fault) => {
    const primary = await upstream('primary', onMessages(fault));
    const backup = await upstream('backup');
    const claude = client((await gatewayFor([primary, backup], anthropic)).url);
    const { data, response } = await claude.messages.create(ask).withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Hello from backup') });
    expect(response.headers.get('x-detour-endpoint')).toBe('backup');
    const final = await claude.messages.stream(ask).finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Hello from backup') });
    expect(final.stop_reason).toBe('end_turn');
    let text = '';
    for await (const event of await claude.messages.create({ ...ask, stream: true })) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    expect(text).toContain('Hello from backup');
    // Each endpoint's own key, as Anthropic's API wants it; never the caller's gateway key.
    const sent = backup.stats().requests[0]!;
    expect(sent.headers['x-api-key']).toBe('sk-upstream-backup');
    expect(sent.authorization).toBeUndefined();
    expect(sent.headers['anthropic-version']).toBeDefined();
  });

  it.each([
    ['a close after the first events', { type: 'cut-stream', afterChunks: 2, mode: 'close' }],
    ['a reset after the first events', { type: 'cut-stream', afterChunks: 2, mode: 'reset' }],
    ['a mid-stream overloaded_error event after the first text', { type: 'stream-error-event', afterChunks: 5 }],
    ['an event that is not valid JSON after the first text', { type: 'malformed-sse', afterChunks: 5 }],
  ] as [string, FaultRule['fault']][])('make the SDK raise, never end cleanly, on %s', async (_, fault) => {
    // Events apart in time, so the first ones reach the caller before the break (together, they would fail over).
    // Rescue off: this pins what the SDK sees of a break nobody finishes (the rescue is tested below).
    const primary = await upstream('primary', onMessages(fault), { chunkDelayMs: 20 });
    const backup = await upstream('backup');
    const claude = client((await gatewayFor([primary, backup], { ...anthropic, router: { rescue: 'off' } })).url);
    await expect(claude.messages.stream(ask).finalMessage()).rejects.toThrow();
    const iterate = async () => {
      for await (const event of await claude.messages.create({ ...ask, stream: true })) void event;
    };
    await expect(iterate()).rejects.toThrow();
    expect(backup.stats().total).toBe(0);
  });

  it.each([
    ['a reset', { type: 'cut-stream', afterTokens: 40, mode: 'reset' }],
    ['an overloaded_error event', { type: 'stream-error-event', afterTokens: 40 }],
    ['an event that is not valid JSON', { type: 'malformed-sse', afterTokens: 40 }],
  ] as [string, FaultRule['fault']][])('deliver the whole answer exactly once when %s cuts it at 40 of 60 tokens and the backup continues it (rescue)', async (_, fault) => {
    const deterministic = { answers: 'deterministic', completionTokens: 60 };
    const reference = await upstream('reference', [], deterministic);
    const whole = (await new Anthropic({ baseURL: reference.baseUrl.replace(/\/v1$/, ''), apiKey: 'x', maxRetries: 0 }).messages.create(ask)).content[0];
    expect(whole).toMatchObject({ type: 'text' });
    const text = whole?.type === 'text' ? whole.text : '';
    const primary = await upstream('primary', onMessages(fault), { ...deterministic, chunkDelayMs: 5 });
    const backup = await upstream('backup', [], { ...deterministic, prefill: 'anthropic' });
    const claude = client((await gatewayFor([primary, backup], { endpoint: { provider: 'anthropic', continuation: 'anthropic' } })).url);
    let streamed = '';
    const types: string[] = [];
    for await (const event of await claude.messages.create({ ...ask, stream: true })) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') streamed += event.delta.text;
    }
    expect(streamed).toBe(text);
    expect(types.filter((type) => type === 'message_start')).toHaveLength(1);
    expect(types.at(-1)).toBe('message_stop');
    expect(backup.stats().requests[0]).toMatchObject({ outcome: 'ok', continued: expect.any(String) });
    const final = await claude.messages.stream(ask).finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text })]);
    expect(final.stop_reason).toBe('end_turn');
    expect(primary.stats().total).toBe(2);
  });

  it('keep a slow rescue\'s connection alive with SSE comments the SDK skips, and still deliver the answer once', async () => {
    const deterministic = { answers: 'deterministic', completionTokens: 60 };
    const reference = await upstream('reference', [], deterministic);
    const whole = (await new Anthropic({ baseURL: reference.baseUrl.replace(/\/v1$/, ''), apiKey: 'x', maxRetries: 0 }).messages.create(ask)).content[0];
    const text = whole?.type === 'text' ? whole.text : '';
    const primary = await upstream('primary', onMessages({ type: 'cut-stream', afterTokens: 40, mode: 'reset' }), deterministic);
    const backup = await upstream('backup', onMessages({ type: 'slow-first-byte', delayMs: 1000 }), { ...deterministic, prefill: 'anthropic' });
    const gateway = await gatewayFor([primary, backup], { endpoint: { provider: 'anthropic', continuation: 'anthropic' }, router: { rescueHeartbeatMs: 50 } });
    const raw = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST', headers: { 'x-api-key': gatewayKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }, body: JSON.stringify({ ...ask, stream: true }),
    });
    const events = (await raw.text()).split('\n\n');
    expect(events.filter((event) => event === ': detour is rescuing this stream').length).toBeGreaterThan(0);
    expect(events.at(-2)).toContain('event: message_stop');
    let streamed = '';
    for await (const event of await client(gateway.url).messages.create({ ...ask, stream: true })) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') streamed += event.delta.text;
    }
    expect(streamed).toBe(text);
  });

  it('serves the SDK\'s beta surface (client.beta.messages, as Claude Code calls it), beta flag and anthropic-beta included', async () => {
    const primary = await upstream('primary');
    const claude = client((await gatewayFor([primary], anthropic)).url);
    const message = await claude.beta.messages.create({ ...ask, betas: ['context-management-2025-06-27'] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Hello from primary') });
    const sent = primary.stats().requests[0]!;
    expect(sent.headers['anthropic-beta']).toBe('context-management-2025-06-27');
  });

  it('counts tokens through the gateway', async () => {
    const primary = await upstream('primary');
    const claude = client((await gatewayFor([primary], anthropic)).url);
    expect(await claude.messages.countTokens({ model: ask.model, messages: ask.messages })).toEqual({ input_tokens: 3 });
  });
});

describe('Messages costs with prompt caching', () => {
  // Published prices for claude-sonnet-4-5 per million tokens: $3 input, $15 output, $0.30 cache reads, $3.75
  // 5-minute cache writes (1.25× input), $6 1-hour writes (2× input).
  const price = { input: 3, output: 15, read: 0.3, write5m: 3.75, write1h: 6 };

  it('match hand-computed values in x-detour-cost-usd and the cost metric, for cache writes and reads', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary], anthropic);
    const claude = client(gateway.url);
    // testkit: a 400-character cached block is a 100-token prefix; 'Say hello.' is 3 tokens; the reply 8.
    const system = [{ type: 'text' as const, text: 'x'.repeat(400), cache_control: { type: 'ephemeral' as const } }];
    const hourly = [{ type: 'text' as const, text: 'y'.repeat(400), cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } }];
    const calls = [
      { system, usage: { input_tokens: 3, cache_creation_input_tokens: 100, cache_read_input_tokens: 0, output_tokens: 8 }, usd: 3 * price.input + 100 * price.write5m + 8 * price.output },
      { system, usage: { input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 8 }, usd: 3 * price.input + 100 * price.read + 8 * price.output },
      { system: hourly, usage: { input_tokens: 3, cache_creation_input_tokens: 100, cache_read_input_tokens: 0, output_tokens: 8 }, usd: 3 * price.input + 100 * price.write1h + 8 * price.output },
    ];
    let total = 0;
    for (const call of calls) {
      const { data, response } = await claude.messages.create({ ...ask, system: call.system }).withResponse();
      expect(data.usage).toMatchObject(call.usage);
      expect(response.headers.get('x-detour-cost-usd')).toBe((call.usd / 1e6).toFixed(8));
      total += call.usd / 1e6;
    }
    const series = 'detour_cost_usd_total{endpoint="primary",model="claude-sonnet-4-5",outcome="success",api="messages"}';
    expect(await metricValue(gateway, series)).toBeCloseTo(total, 12);
    // Token types are disjoint parts of the prompt: 3 fresh tokens per call, one cache read, one write of each lifetime.
    const tokens = (type: string) => metricValue(gateway, `detour_tokens_total{endpoint="primary",model="claude-sonnet-4-5",type="${type}",api="messages"}`);
    expect([await tokens('input'), await tokens('cached_input'), await tokens('cache_write'), await tokens('cache_write_1h'), await tokens('output')]).toEqual([9, 100, 100, 100, 24]);
    // A stream is priced from message_start + message_delta when it ends: a cache read this time.
    await claude.messages.stream({ ...ask, system }).finalMessage();
    await vi.waitFor(async () => expect(await metricValue(gateway, series)).toBeCloseTo(total + calls[1]!.usd / 1e6, 12));
  });
});

describe('errors in Anthropic\'s shape', () => {
  it('refuses a wrong x-api-key with authentication_error', async () => {
    const primary = await upstream('primary');
    const gateway = await gatewayFor([primary], anthropic);
    const error = await client(gateway.url, 'sk-wrong').messages.create(ask).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error).toMatchObject({ status: 401, type: 'authentication_error' });
    const raw = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST', body: JSON.stringify(ask), headers: { 'x-api-key': 'sk-wrong', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    });
    expect(await raw.json()).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'Invalid gateway key.' } });
    const accepted = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST', body: JSON.stringify(ask), headers: { 'x-api-key': gatewayKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    });
    expect(accepted.status).toBe(200);
    expect(primary.stats().total).toBe(1);
  });

  it('answers 503 overloaded_error with retry-after when every endpoint is cooling', async () => {
    const limited: FaultRule[] = [{ fault: { type: 'rate-limit', dialect: 'anthropic', retryAfterMs: 30_000 } }];
    const primary = await upstream('primary', limited);
    const backup = await upstream('backup', limited);
    const claude = client((await gatewayFor([primary, backup], { ...anthropic, router: { maxServerDelayMs: 1000 } })).url);
    const first = await claude.messages.create(ask).catch((caught: unknown) => caught);
    expect(first).toMatchObject({ status: 429, type: 'rate_limit_error' });
    const second = (await claude.messages.create(ask).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(second).toMatchObject({ status: 503, type: 'overloaded_error' });
    expect(Number(second.headers?.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(primary.stats().total + backup.stats().total).toBe(2);
  });

  it('answers an upstream that rejects the gateway\'s key with 502 upstream_auth_failed, not the caller\'s 401', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'unauthorized' } }]);
    const claude = client((await gatewayFor([primary], anthropic)).url);
    const error = (await claude.messages.create(ask).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error).toMatchObject({ status: 502, type: 'api_error' });
    expect(error.headers?.get('x-detour-error')).toBe('upstream_auth_failed');
  });

  it('lists the Messages models in Anthropic\'s shape for models.list', async () => {
    const primary = await upstream('primary');
    const claude = client((await gatewayFor([primary], { endpoint: { provider: 'anthropic', models: ['claude-sonnet-4-5', 'claude-haiku-4-5'] } })).url);
    const ids: string[] = [];
    for await (const model of claude.models.list()) ids.push(model.id);
    expect(ids).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5']);
  });
});
