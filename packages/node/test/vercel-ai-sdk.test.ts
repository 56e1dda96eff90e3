import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { startChaosUpstream, type ChaosUpstream, type RateLimitDialect } from '@detour/testkit';
import { generateText, streamText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type NodeDetourFetch } from '../src/index';

const upstreams: ChaosUpstream[] = [];
let detourFetch: NodeDetourFetch | undefined;
afterEach(async () => {
  await detourFetch?.router.close();
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const pair = async () => {
  const primary = await startChaosUpstream({ name: 'primary', script: [{ fault: { type: 'rate-limit', dialect: 'groq', retryAfterMs: 10_000 } }] });
  const backup = await startChaosUpstream({ name: 'backup' });
  upstreams.push(primary, backup);
  detourFetch = createFetch({
    endpoints: [
      { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-primary', priority: 0 },
      { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-backup', priority: 1 },
    ],
  });
  return { primary, backup, provider: createOpenAI({ apiKey: 'caller-key', fetch: detourFetch }) };
};

describe('createFetch with the Vercel AI SDK', () => {
  it('generates text through the backup when the primary throttles', async () => {
    const { provider, primary } = await pair();
    const { text } = await generateText({ model: provider.chat('gpt-4.1'), prompt: 'Say hello', maxRetries: 0 });
    expect(text).toContain('backup');
    expect(primary.stats().total).toBe(1);
  });

  it('streams text through the backup when the primary throttles', async () => {
    const { provider } = await pair();
    const result = streamText({ model: provider.chat('gpt-4.1'), prompt: 'Say hello', maxRetries: 0 });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text).toContain('backup');
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });
});

// AI SDK 5's default `openai('…')` model speaks the Responses API; `@ai-sdk/anthropic` speaks Messages.
const throttledPair = async (dialect: RateLimitDialect, provider: 'openai' | 'anthropic') => {
  const primary = await startChaosUpstream({ name: 'primary', script: [{ fault: { type: 'rate-limit', dialect, retryAfterMs: 10_000 } }] });
  const backup = await startChaosUpstream({ name: 'backup' });
  upstreams.push(primary, backup);
  detourFetch = createFetch({
    endpoints: [
      { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-primary', provider, priority: 0 },
      { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-backup', provider, priority: 1 },
    ],
  });
  return { primary, backup };
};

describe('createFetch with the Vercel AI SDK on the Responses and Messages APIs', () => {
  const models = {
    'openai() (Responses)': async () => {
      const pair = await throttledPair('openai', 'openai');
      return { ...pair, model: createOpenAI({ apiKey: 'unused', fetch: detourFetch })('gpt-4.1'), path: '/v1/responses' };
    },
    'anthropic() (Messages)': async () => {
      const pair = await throttledPair('anthropic', 'anthropic');
      return { ...pair, model: createAnthropic({ apiKey: 'unused', fetch: detourFetch })('claude-sonnet-4-5'), path: '/v1/messages' };
    },
  };

  it.each(Object.keys(models) as (keyof typeof models)[])('generateText with %s fails over on a 429', async (name) => {
    const { model, primary, backup, path } = await models[name]();
    const { text, usage } = await generateText({ model, prompt: 'Say hello', maxRetries: 0 });
    expect(text).toContain('Hello from backup');
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect(primary.stats().byPath).toEqual({ [path]: 1 });
    expect(backup.stats().byPath).toEqual({ [path]: 1 });
  });

  it.each(Object.keys(models) as (keyof typeof models)[])('streamText with %s fails over on a 429', async (name) => {
    const { model, primary, backup, path } = await models[name]();
    const result = streamText({ model, prompt: 'Say hello', maxRetries: 0 });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text).toContain('Hello from backup');
    expect(await result.finishReason).toBe('stop');
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
    expect(primary.stats().byPath).toEqual({ [path]: 1 });
    expect(backup.stats().requests[0]).toMatchObject({ path, stream: true });
  });
});

describe('createFetch with the Vercel AI SDK when a stream breaks after its first event', () => {
  const breaks = [
    ['openai() (Responses)', 'cut', { type: 'cut-stream', afterChunks: 3, mode: 'close' }],
    ['openai() (Responses)', 'error event', { type: 'stream-error-event', afterChunks: 3 }],
    ['anthropic() (Messages)', 'cut', { type: 'cut-stream', afterChunks: 3, mode: 'close' }],
    ['anthropic() (Messages)', 'overloaded_error event', { type: 'stream-error-event', afterChunks: 3 }],
  ] as const;

  // The events go out 20 ms apart, so Detour has committed to the first before the break arrives. Rescue is off:
  // these pin what the caller sees of a break nobody finishes (with rescue on, a Messages stream is continued on
  // the backup; see anthropic-sdk.test.ts).
  it.each(breaks)('streamText with %s makes textStream throw on a %s', async (name, _, fault) => {
    const primary = await startChaosUpstream({ name: 'primary', chunkDelayMs: 20, script: [{ fault }] });
    const backup = await startChaosUpstream({ name: 'backup' });
    upstreams.push(primary, backup);
    const provider = name.startsWith('openai') ? 'openai' : 'anthropic';
    detourFetch = createFetch({
      endpoints: [
        { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-primary', provider, priority: 0 },
        { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-backup', provider, priority: 1 },
      ],
      rescue: 'off',
    });
    const model = provider === 'openai' ? createOpenAI({ apiKey: 'unused', fetch: detourFetch })('gpt-4.1') : createAnthropic({ apiKey: 'unused', fetch: detourFetch })('claude-sonnet-4-5');
    // With ai 5.0.277, finishReason and usage did not settle after a failed stream (seen here): only textStream is read.
    const result = streamText({ model, prompt: 'Say hello', maxRetries: 0, onError: () => undefined });
    let text = '';
    await expect(
      (async () => {
        for await (const part of result.textStream) text += part;
      })(),
    ).rejects.toThrow();
    expect(text).not.toContain('scripted reply');
    expect(backup.stats().total).toBe(0);
  });
});

describe('createFetch with the Vercel AI SDK while a rescue takes long', () => {
  // The heartbeat comments a slow rescue sends (docs/rescue.md) reach the SDK's SSE parser, which must skip them.
  it('streamText reads one whole answer through a slow replay that sent SSE comments meanwhile', async () => {
    const deterministic = { answers: 'deterministic', completionTokens: 60 } as const;
    const reference = await startChaosUpstream({ name: 'reference', ...deterministic });
    const primary = await startChaosUpstream({ name: 'primary', ...deterministic, script: [{ fault: { type: 'cut-stream', afterTokens: 40, mode: 'reset' } }] });
    const backup = await startChaosUpstream({ name: 'backup', ...deterministic, script: [{ fault: { type: 'slow-first-byte', delayMs: 1000 } }] });
    upstreams.push(reference, primary, backup);
    const whole = (await generateText({ model: createOpenAI({ apiKey: 'x', baseURL: reference.baseUrl }).chat('gpt-4.1'), prompt: 'Tell me a story', maxRetries: 0 })).text;
    detourFetch = createFetch({
      endpoints: [
        { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-primary', priority: 0 },
        { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-backup', priority: 1 },
      ],
      rescueHeartbeatMs: 50,
    });
    let comments = 0;
    const counting: typeof fetch = async (input, init) => {
      const response = await detourFetch!(input, init);
      if (!response.body) return response;
      const decoder = new TextDecoder();
      const seen = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          comments += decoder.decode(chunk, { stream: true }).split('\n\n').filter((event) => event === ': detour is rescuing this stream').length;
          controller.enqueue(chunk);
        },
      });
      return new Response(response.body.pipeThrough(seen), { status: response.status, headers: response.headers });
    };
    const result = streamText({ model: createOpenAI({ apiKey: 'unused', fetch: counting }).chat('gpt-4.1'), prompt: 'Tell me a story', maxRetries: 0 });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text).toBe(whole);
    expect(comments).toBeGreaterThan(0);
    expect(backup.stats().total).toBe(1);
  });
});
