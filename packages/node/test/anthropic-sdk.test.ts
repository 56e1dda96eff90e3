import Anthropic from '@anthropic-ai/sdk';
import { startChaosUpstream, type ChaosOptions, type ChaosUpstream, type FaultRule } from '@detour/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFetch, type NodeDetourFetch, type NodeRouterOptions } from '../src/index';

// The official Anthropic SDK's Messages API through createFetch, over real sockets, against testkit upstreams.
const upstreams: ChaosUpstream[] = [];
const fetches: NodeDetourFetch[] = [];
afterEach(async () => {
  await Promise.all(fetches.splice(0).map((detourFetch) => detourFetch.router.close()));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const upstream = async (name: string, script: FaultRule[] = [], options: ChaosOptions = {}) => {
  const started = await startChaosUpstream({ name, script, ...options });
  upstreams.push(started);
  return started;
};

const client = (endpoints: ChaosUpstream[], options: Partial<NodeRouterOptions> = {}) => {
  const sleep = vi.fn(async () => undefined);
  const detourFetch = createFetch(
    {
      // `provider: 'anthropic'`: the endpoint speaks the Messages API and takes its key in `x-api-key`.
      endpoints: endpoints.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-ant-${target.name}`, provider: 'anthropic' as const, priority: index })),
      ...options,
    },
    { random: () => 0.5, sleep },
  );
  fetches.push(detourFetch);
  // The SDK's key and origin never reach an upstream; its own retries are off so Detour is the only retry loop.
  const anthropic = new Anthropic({ fetch: detourFetch, maxRetries: 0, apiKey: 'unused', baseURL: 'http://detour.invalid' });
  return { anthropic, detourFetch, sleep };
};

const ask = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Say hello' }] };

const collect = async (stream: AsyncIterable<Anthropic.MessageStreamEvent>) => {
  let text = '';
  const types: string[] = [];
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
  }
  return { text, types };
};

const primaryFaults: [string, FaultRule['fault']][] = [
  ['429 (anthropic)', { type: 'rate-limit', dialect: 'anthropic', retryAfterMs: 20_000 }],
  ['529 overloaded', { type: 'status', status: 529 }],
  ['500', { type: 'status', status: 500 }],
];

describe('createFetch with the official Anthropic SDK', () => {
  it.each(primaryFaults)('messages.create answers from the backup while the primary answers %s', async (_, fault) => {
    const primary = await upstream('primary', [{ fault }]);
    const backup = await upstream('backup');
    const { anthropic, sleep } = client([primary, backup]);

    const { data, response } = await anthropic.messages.create(ask).withResponse();
    expect(data.type).toBe('message');
    expect(data.stop_reason).toBe('end_turn');
    expect(data.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Hello from backup') });
    expect(response.headers.get('x-detour-endpoint')).toBe('backup');
    expect(response.headers.get('x-detour-attempts')).toBe('2');
    expect(primary.stats().byPath).toEqual({ '/v1/messages': 1 });
    expect(sleep).not.toHaveBeenCalled();
  });

  it.each(primaryFaults)('messages.create with stream: true streams from the backup while the primary answers %s', async (_, fault) => {
    const primary = await upstream('primary', [{ fault }]);
    const backup = await upstream('backup');
    const { anthropic } = client([primary, backup]);
    const { text, types } = await collect(await anthropic.messages.create({ ...ask, stream: true }));
    expect(text).toContain('Hello from backup');
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(primary.stats().total).toBe(1);
  });

  it.each(primaryFaults)('messages.stream().finalMessage() resolves from the backup while the primary answers %s', async (_, fault) => {
    const primary = await upstream('primary', [{ fault }]);
    const backup = await upstream('backup');
    const { anthropic } = client([primary, backup]);
    const stream = anthropic.messages.stream(ask);
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('end_turn');
    expect(text).toContain('Hello from backup');
    expect(message.content[0]).toMatchObject({ type: 'text', text });
    expect(primary.stats().total).toBe(1);
  });

  it('serves every call through a 529 storm, contacting the overloaded primary once', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 529 } }]);
    const backup = await upstream('backup');
    const { anthropic } = client([primary, backup], { breaker: { consecutiveFailures: 3, openMs: 60_000 } });
    for (let index = 0; index < 3; index += 1) {
      expect((await anthropic.messages.create(ask)).content[0]).toMatchObject({ text: expect.stringContaining('backup') });
      expect((await anthropic.messages.stream(ask).finalMessage()).stop_reason).toBe('end_turn');
    }
    expect(backup.stats().total).toBe(6);
    expect(primary.stats().total).toBe(1);
  });

  it("sends each endpoint its own key in x-api-key, never the caller's, and passes anthropic-version and anthropic-beta through", async () => {
    const primary = await upstream('primary');
    const { anthropic } = client([primary]);
    await anthropic.messages.create(ask, { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } });
    await anthropic.beta.messages.create({ ...ask, betas: ['interleaved-thinking-2025-05-14'] });
    const [plain, beta] = primary.stats().requests;
    for (const record of [plain, beta]) {
      expect(record?.headers['x-api-key']).toBe('sk-ant-primary');
      expect(record?.headers.authorization).toBeUndefined();
      expect(record?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(JSON.stringify(record?.headers)).not.toContain('unused');
    }
    expect(plain?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(beta?.headers['anthropic-beta']).toContain('interleaved-thinking-2025-05-14');
  });

  it('fails over a stream cut before its first event', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'cut-stream', afterChunks: 0, mode: 'reset' } }]);
    const backup = await upstream('backup');
    const { anthropic } = client([primary, backup]);
    expect((await anthropic.messages.stream(ask).finalMessage()).content[0]).toMatchObject({ text: expect.stringContaining('backup') });
  });

  // Events go out 20 ms apart on the upstream's timers, in this process: Detour has committed the first event long
  // before the break arrives. Without Detour, `create({ stream: true })` ends a closed-early stream quietly.
  const breaks: [string, FaultRule['fault']][] = [
    ['a cut (close)', { type: 'cut-stream', afterChunks: 3, mode: 'close' }],
    ['a cut (reset)', { type: 'cut-stream', afterChunks: 3, mode: 'reset' }],
    ['an overloaded_error event', { type: 'stream-error-event', afterChunks: 3 }],
  ];

  it.each(breaks)('makes iterating messages.create({ stream: true }) throw on %s after the first event', async (_, fault) => {
    const primary = await upstream('primary', [{ fault }], { chunkDelayMs: 20 });
    const backup = await upstream('backup');
    const { anthropic } = client([primary, backup]);
    const stream = await anthropic.messages.create({ ...ask, stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of stream) seen.push(event.type);
      })(),
    ).rejects.toThrow();
    expect(seen[0]).toBe('message_start');
    expect(seen).not.toContain('message_stop');
    expect(backup.stats().total).toBe(0);
  });

  it.each(breaks)('makes messages.stream().finalMessage() reject on %s after the first event', async (_, fault) => {
    const primary = await upstream('primary', [{ fault }], { chunkDelayMs: 20 });
    const backup = await upstream('backup');
    const { anthropic } = client([primary, backup]);
    const stream = anthropic.messages.stream(ask);
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(events[0]).toBe('message_start');
    expect(backup.stats().total).toBe(0);
  });

  it('surfaces an overloaded_error event mid-stream as the SDK\'s APIError of that type', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'stream-error-event', afterChunks: 3 } }], { chunkDelayMs: 20 });
    const { anthropic } = client([primary]);
    const stream = await anthropic.messages.create({ ...ask, stream: true });
    const error = await (async () => {
      for await (const event of stream) void event;
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(String((error as Error).message)).toContain('overloaded_error');
  });

  it('relays a request the provider rejected as the SDK\'s own error, without failing over', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'context-length' } }]);
    const backup = await upstream('backup');
    const { anthropic } = client([primary, backup]);
    const error = await anthropic.messages.create(ask).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(backup.stats().total).toBe(0);
  });

  it('answers Detour\'s own 503 in Anthropic\'s error shape (overloaded_error) with Retry-After when every endpoint is cooling', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'rate-limit', dialect: 'anthropic', retryAfterMs: 30_000 } }]);
    const { anthropic } = client([primary], { maxServerDelayMs: 1000 });
    await anthropic.messages.create(ask).catch(() => undefined);
    const error = (await anthropic.messages.create(ask).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(error).toBeInstanceOf(Anthropic.ServiceUnavailableError);
    expect(error.status).toBe(503);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: expect.any(String) } });
    expect(primary.stats().total).toBe(1);
  });

  it('serves messages.countTokens through the same endpoints', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 529 } }]);
    const backup = await upstream('backup');
    const { anthropic } = client([primary, backup]);
    const counted = await anthropic.messages.countTokens({ model: ask.model, messages: ask.messages });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(backup.stats().byPath).toEqual({ '/v1/messages/count_tokens': 1 });
  });
});
