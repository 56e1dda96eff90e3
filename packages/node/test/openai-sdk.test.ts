import { createFakeClock } from '@detour/core/testing';
import { InvalidOptionsError } from '@detour/core';
import { startChaosUpstream, type ChaosUpstream, type FaultRule } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFetch, type NodeDetourFetch, type NodeRouterOptions } from '../src/index';

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

const client = (endpoints: ChaosUpstream[], options: Partial<NodeRouterOptions> = {}, overrides = {}) => {
  const detourFetch = createFetch(
    {
      endpoints: endpoints.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-${target.name}`, priority: index })),
      ...options,
    },
    overrides,
  );
  fetches.push(detourFetch);
  // The SDK's own retries are off: Detour is the only retry loop.
  return { openai: new OpenAI({ apiKey: 'caller-key', fetch: detourFetch, maxRetries: 0 }), detourFetch };
};

const ask = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'Say hello' }] };

describe('createFetch with the official openai SDK', () => {
  it('serves a 429 with a reset from the backup within one round trip, without sleeping', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20_000 } }]);
    const backup = await upstream('backup');
    const sleep = vi.fn(async () => undefined);
    const { openai } = client([primary, backup], {}, { sleep });

    const { data, response } = await openai.chat.completions.create(ask).withResponse();
    expect(data.choices[0]?.message.content).toContain('backup');
    expect(response.headers.get('x-detour-endpoint')).toBe('backup');
    expect(response.headers.get('x-detour-attempts')).toBe('2');
    expect(Number(response.headers.get('x-detour-cost-usd'))).toBeGreaterThan(0);
    expect(sleep).not.toHaveBeenCalled();

    // Inside the reset window the primary is not contacted again.
    await openai.chat.completions.create(ask);
    expect(primary.stats().total).toBe(1);
    expect(backup.stats().total).toBe(2);
  });

  it('sends each endpoint its own key, never the caller\'s', async () => {
    const primary = await upstream('primary');
    const { openai } = client([primary]);
    await openai.chat.completions.create(ask);
    expect(primary.stats().requests[0]?.authorization).toBe('Bearer sk-primary');
  });

  it('disables an endpoint on insufficient_quota and never retries it', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'insufficient-quota' } }]);
    const backup = await upstream('backup');
    const { openai } = client([primary, backup]);
    for (let index = 0; index < 5; index += 1) await openai.chat.completions.create(ask);
    expect(primary.stats().total).toBe(1);
    expect(backup.stats().total).toBe(5);
  });

  it('opens the breaker on a 500 storm, then a half-open probe restores the endpoint', async () => {
    const primary = await upstream('primary', [{ when: { to: 3 }, fault: { type: 'status', status: 500 } }]);
    const backup = await upstream('backup');
    const clock = createFakeClock();
    const { openai, detourFetch } = client([primary, backup], { breaker: { consecutiveFailures: 3, openMs: 5000 } }, { clock, sleep: clock.sleep });

    for (let index = 0; index < 6; index += 1) await openai.chat.completions.create(ask);
    expect(primary.stats().total).toBe(3);
    expect((await detourFetch.router.health())[0]).toMatchObject({ name: 'primary', breaker: 'open' });

    clock.advance(5000);
    const { response } = await openai.chat.completions.create(ask).withResponse();
    expect(response.headers.get('x-detour-endpoint')).toBe('primary');
    expect((await detourFetch.router.health())[0]).toMatchObject({ name: 'primary', breaker: 'closed' });
  });

  it('fails over when a stream is cut before its first chunk', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'cut-stream', afterChunks: 0, mode: 'reset' } }]);
    const backup = await upstream('backup');
    const { openai } = client([primary, backup]);
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('backup');
    expect(primary.stats().total).toBe(1);
  });

  it.each(['close', 'reset'] as const)('makes the SDK iterator throw when a stream is cut after its first chunk (%s, rescue off)', async (mode) => {
    const primary = await upstream('primary', [{ fault: { type: 'cut-stream', afterChunks: 2, mode } }]);
    const backup = await upstream('backup');
    // With rescue on (the default) the backup would finish the answer: see rescue.test.ts.
    const { openai } = client([primary, backup], { rescue: 'off' });
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    const chunks: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) chunks.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow();
    expect(chunks.length).toBeGreaterThan(0);
    expect(backup.stats().total).toBe(0);
  });

  it('fails over a JSON answer cut mid-body, never handing the SDK a truncated document', async () => {
    const primary = await upstream('primary', [{ when: { stream: false, nth: [1] }, fault: { type: 'cut-stream', afterChunks: 2, mode: 'close' } }]);
    const backup = await upstream('backup');
    const { openai } = client([primary, backup]);
    const completion = await openai.chat.completions.create(ask);
    expect(completion.choices[0]?.message.content).toContain('backup');
  });

  it('honours the overall deadline: the caller gets a 504 and the upstream request is closed', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'hang' } }]);
    const { openai } = client([primary], { deadlineMs: 300 });
    const error = await openai.chat.completions.create(ask).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    await vi.waitFor(() => expect(primary.stats().requests[0]?.clientClosedAt).toBeDefined());
  });

  it('stops all work when the caller aborts: no attempt continues in the background', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'hang' } }]);
    const backup = await upstream('backup');
    const { openai } = client([primary, backup]);
    const controller = new AbortController();
    const pending = openai.chat.completions.create(ask, { signal: controller.signal }).catch((caught: unknown) => caught);
    await vi.waitFor(() => expect(primary.stats().total).toBe(1));
    controller.abort();
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    await vi.waitFor(() => expect(primary.stats().requests[0]?.clientClosedAt).toBeDefined());
    expect(backup.stats().total).toBe(0);
  });

  it('answers a fast 503 with Retry-After when every endpoint is cooling', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'rate-limit', dialect: 'azure', retryAfterMs: 30_000 } }]);
    const { openai } = client([primary], { maxServerDelayMs: 1000 });
    await openai.chat.completions.create(ask).catch(() => undefined);
    const error = (await openai.chat.completions.create(ask).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(503);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(29);
    expect(primary.stats().total).toBe(1);
  });

  it('relays a request the provider rejected as the SDK\'s own error, without failing over', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'context-length' } }]);
    const backup = await upstream('backup');
    const { openai } = client([primary, backup]);
    const error = await openai.chat.completions.create(ask).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(backup.stats().total).toBe(0);
  });

  it('maps public model names per endpoint and serves embeddings', async () => {
    const primary = await upstream('primary');
    const detourFetch = createFetch({ endpoints: [{ name: 'primary', baseUrl: primary.baseUrl, models: { 'gpt-4.1': 'vendor-gpt41', 'text-embedding-3-small': 'embed-small' } }] });
    fetches.push(detourFetch);
    const openai = new OpenAI({ apiKey: 'x', fetch: detourFetch, maxRetries: 0 });
    const completion = await openai.chat.completions.create(ask);
    expect(completion.model).toBe('vendor-gpt41');
    const embedding = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(embedding.data[0]?.embedding.length).toBeGreaterThan(0);
    expect(primary.stats().byModel).toMatchObject({ 'vendor-gpt41': 1, 'embed-small': 1 });
  });

  it('rejects a bad config at construction, naming the field', () => {
    expect(() => createFetch({ endpoints: [{ name: 'a', baseUrl: 'not a url' }] })).toThrow(/endpoints\[0\]\.baseUrl/);
    expect(() => createFetch({ endpoints: [{ name: 'a', baseUrl: 'http://127.0.0.1:1/v1' }], agent: { connections: 0 } })).toThrow(/agent\.connections/);
  });

  it('names every bad field in one error: the agent, the endpoints and the price rows', () => {
    const build = () => createFetch({ endpoints: [{ name: 'a', baseUrl: 'not a url', apiKey: 'sk-…pasted' }], agent: { connections: 0 }, prices: [{ model: 'm', inputPerMTok: -1 }] });
    expect(build).toThrow(InvalidOptionsError);
    const paths = (() => {
      try {
        build();
      } catch (error) {
        return (error as InvalidOptionsError).issues.map((issue) => issue.path);
      }
      return [];
    })();
    expect(paths).toEqual(expect.arrayContaining(['agent.connections', 'endpoints[0].baseUrl', 'endpoints[0].apiKey']));
    expect(paths.some((path) => path.startsWith('prices[0]'))).toBe(true);
  });
});
