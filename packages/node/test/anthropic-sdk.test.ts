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

type EndpointExtras = Partial<Record<string, Partial<NodeRouterOptions['endpoints'][number]>>>;
const client = (endpoints: ChaosUpstream[], options: Partial<NodeRouterOptions> = {}, extras: EndpointExtras = {}) => {
  const sleep = vi.fn(async () => undefined);
  const detourFetch = createFetch(
    {
      // `provider: 'anthropic'`: the endpoint speaks the Messages API and takes its key in `x-api-key`.
      endpoints: endpoints.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-ant-${target.name}`, provider: 'anthropic' as const, priority: index, ...extras[target.name] })),
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
  it('sends nothing upstream for the SDK\'s check of its fetch before a file upload (the twelfth attack)', async () => {
    // Without `Response` on the fetch, the SDK called `fetch('data:,')`, which went to every endpoint, with its key,
    // as `GET /v1/,`.
    const primary = await upstream('primary');
    const { anthropic, detourFetch } = client([primary]);
    expect(detourFetch.Response).toBe(Response);
    await anthropic.beta.files.upload({ file: await Anthropic.toFile(Buffer.from('hello'), 'hello.txt') }).catch(() => undefined);
    expect(Object.keys(primary.stats().byPath)).toEqual(['/v1/files']);
    await expect(detourFetch('data:,')).rejects.toThrow(/only http\(s\) requests/);
  });

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
    const { anthropic } = client([primary, backup], {}, { backup: { continuation: 'anthropic' } });
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
  // before the break arrives. Without Detour, `create({ stream: true })` ends a closed-early stream quietly. Rescue
  // is off here: these pin what the caller sees of a break nobody finishes (rescue has its own tests below).
  const breaks: [string, FaultRule['fault']][] = [
    ['a cut (close)', { type: 'cut-stream', afterChunks: 3, mode: 'close' }],
    ['a cut (reset)', { type: 'cut-stream', afterChunks: 3, mode: 'reset' }],
    ['an overloaded_error event', { type: 'stream-error-event', afterChunks: 3 }],
  ];

  it.each(breaks)('makes iterating messages.create({ stream: true }) throw on %s after the first event', async (_, fault) => {
    const primary = await upstream('primary', [{ fault }], { chunkDelayMs: 20 });
    const backup = await upstream('backup');
    const { anthropic } = client([primary, backup], { rescue: 'off' });
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
    const { anthropic } = client([primary, backup], { rescue: 'off' });
    const stream = anthropic.messages.stream(ask);
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(events[0]).toBe('message_start');
    expect(backup.stats().total).toBe(0);
  });

  it('surfaces an overloaded_error event mid-stream as the SDK\'s APIError of that type', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'stream-error-event', afterChunks: 3 } }], { chunkDelayMs: 20 });
    const { anthropic } = client([primary], { rescue: 'off' });
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

// Issue 16 with the Anthropic SDK: a Messages stream cut mid-answer is finished on the backup, by Anthropic's
// prefill, into the same client stream. Every upstream answers deterministically (the same 60 words for the same
// conversation), so the whole answer is known in advance.
describe('mid-stream rescue with the official Anthropic SDK through createFetch', () => {
  const deterministic = { answers: 'deterministic', completionTokens: 60 } as const;
  // Events 5 ms apart: Detour commits to the first before the break (a break in the first read fails over instead).
  const paced = { ...deterministic, chunkDelayMs: 5 } as const;
  const headers = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-reference' };

  /** The whole answer, as a healthy deterministic upstream gives it. */
  const wholeAnswer = async () => {
    const reference = await upstream('reference', [], deterministic);
    const response = await fetch(`${reference.baseUrl}/messages`, { method: 'POST', headers, body: JSON.stringify(ask) });
    const message = (await response.json()) as Anthropic.Message;
    const block = message.content[0];
    return block?.type === 'text' ? block.text : '';
  };

  const cuts: [string, FaultRule['fault']][] = [
    ['a cut (close)', { type: 'cut-stream', afterTokens: 40, mode: 'close' }],
    ['a cut (reset)', { type: 'cut-stream', afterTokens: 40, mode: 'reset' }],
    ['an overloaded_error event', { type: 'stream-error-event', afterTokens: 40 }],
  ];

  it.each(cuts)('messages.create({ stream: true }) receives the whole answer once, cleanly ended, after %s at 40 of 60 tokens', async (_, fault) => {
    const whole = await wholeAnswer();
    expect(whole.trim().split(/\s+/)).toHaveLength(60);
    const primary = await upstream('primary', [{ fault }], paced);
    const backup = await upstream('backup', [], { ...deterministic, prefill: 'anthropic' });
    const { anthropic } = client([primary, backup], {}, { backup: { continuation: 'anthropic' } });
    const { text, types } = await collect(await anthropic.messages.create({ ...ask, stream: true }));
    expect(text).toBe(whole);
    expect(types.filter((type) => type === 'message_start')).toHaveLength(1);
    expect(types.filter((type) => type === 'message_delta')).toHaveLength(1);
    expect(types.at(-1)).toBe('message_stop');
    expect(primary.stats().total).toBe(1);
    // The backup continued the delivered text (Anthropic's prefill), it did not start over.
    expect(backup.stats().requests[0]).toMatchObject({ outcome: 'ok', continued: expect.any(String) });
  });

  it.each(cuts)('messages.stream().finalMessage() resolves with the whole answer once after %s at 40 of 60 tokens', async (_, fault) => {
    const whole = await wholeAnswer();
    const primary = await upstream('primary', [{ fault }], paced);
    const backup = await upstream('backup', [], { ...deterministic, prefill: 'anthropic' });
    const { anthropic } = client([primary, backup], {}, { backup: { continuation: 'anthropic' } });
    const stream = anthropic.messages.stream(ask);
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const message = await stream.finalMessage();
    expect(text).toBe(whole);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: whole })]);
    // The 40 delivered tokens are estimated from their text, about 4 characters a token (Anthropic packs several into
    // a delta, so counting deltas under-reported), and the backup's own 20 come on top: never fewer than 60.
    const { continued } = backup.stats().requests[0] as { continued: string };
    expect(message.usage.output_tokens).toBeGreaterThanOrEqual(60);
    expect(message.usage.output_tokens).toBeLessThanOrEqual(20 + Math.ceil((continued.length + 1) / 4));
  });

  it('makes the SDK raise when the rescue cannot finish the answer (the backup\'s replay diverges), after a true prefix of it', async () => {
    const whole = await wholeAnswer();
    const primary = await upstream('primary', [{ fault: { type: 'cut-stream', afterTokens: 40, mode: 'reset' } }], paced);
    const backup = await upstream('backup', [{ fault: { type: 'vary-answer', afterTokens: 20 } }], deterministic);
    // The backup cannot prefill (`continuation: 'none'`, as Claude 4.6 and later): it replays, and its replay departs.
    const { anthropic } = client([primary, backup], {}, { backup: { continuation: 'none' } });
    const stream = await anthropic.messages.create({ ...ask, stream: true });
    let text = '';
    const error = await (async () => {
      for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const said = (error as InstanceType<typeof Anthropic.APIError>).error as { error: { type: string; message: string } };
    expect(said.error.message).toMatch(/interrupted .* A rescue was tried and failed: the replay on "backup" .*diverged/);
    // A connection cut, not an error event: Anthropic's type for a server-side failure.
    expect(said.error.type).toBe('api_error');
    expect(text.trim().split(/\s+/)).toHaveLength(40);
    expect(whole.startsWith(text)).toBe(true);

    const rejecting = anthropic.messages.stream(ask);
    await expect(rejecting.finalMessage()).rejects.toThrow(/A rescue was tried and failed/);
  });

  it('keeps the original overloaded_error type in the error event Detour ends a stream with when the rescue fails', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'stream-error-event', afterTokens: 40 } }], paced);
    const backup = await upstream('backup', [{ fault: { type: 'vary-answer', afterTokens: 20 } }], deterministic);
    const { anthropic } = client([primary, backup], {}, { backup: { continuation: 'none' } });
    const stream = await anthropic.messages.create({ ...ask, stream: true });
    const error = await (async () => {
      for await (const event of stream) void event;
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: expect.stringContaining('A rescue was tried and failed') } });
  });
});
