import { startChaosUpstream, type ChaosOptions, type ChaosUpstream, type FaultRule, type RateLimitDialect } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFetch, type NodeDetourFetch, type NodeRouterOptions } from '../src/index';

// The official openai SDK's Responses API (`client.responses.create`) through createFetch, over real sockets.
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
  // Jitter draws are pinned, and a sleep that only records: a failover must never wait.
  const sleep = vi.fn(async () => undefined);
  const detourFetch = createFetch(
    {
      endpoints: endpoints.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-${target.name}`, provider: 'openai' as const, priority: index })),
      ...options,
    },
    { random: () => 0.5, sleep },
  );
  fetches.push(detourFetch);
  // The origin of baseURL is never contacted: the path after /v1 picks the route. The SDK's retries are off.
  const openai = new OpenAI({ fetch: detourFetch, maxRetries: 0, apiKey: 'unused', baseURL: 'http://detour.invalid/v1' });
  return { openai, detourFetch, sleep };
};

const ask = { model: 'gpt-4.1', input: 'Say hello' };

const streamText = async (stream: AsyncIterable<OpenAI.Responses.ResponseStreamEvent>) => {
  let text = '';
  const types: string[] = [];
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'response.output_text.delta') text += event.delta;
  }
  return { text, types };
};

const primaryFaults: [string, FaultRule['fault']][] = [
  ...(['openai', 'ietf', 'azure', 'groq', 'openrouter', 'gemini'] as RateLimitDialect[]).map((dialect): [string, FaultRule['fault']] => [`429 (${dialect})`, { type: 'rate-limit', dialect, retryAfterMs: 20_000 }]),
  ['500', { type: 'status', status: 500 }],
  ['503', { type: 'status', status: 503 }],
];

describe('createFetch with openai responses.create', () => {
  it.each(primaryFaults)('answers JSON from the backup while the primary answers %s', async (_, fault) => {
    const primary = await upstream('primary', [{ fault }]);
    const backup = await upstream('backup');
    const { openai, sleep } = client([primary, backup]);

    const { data, response } = await openai.responses.create(ask).withResponse();
    expect(data.status).toBe('completed');
    expect(data.output_text).toContain('Hello from backup');
    expect(response.headers.get('x-detour-endpoint')).toBe('backup');
    expect(response.headers.get('x-detour-attempts')).toBe('2');
    expect(primary.stats().byPath).toEqual({ '/v1/responses': 1 });
    expect(backup.stats().requests[0]).toMatchObject({ path: '/v1/responses', authorization: 'Bearer sk-backup', body: { model: 'gpt-4.1', input: 'Say hello' } });
    expect(sleep).not.toHaveBeenCalled();
  });

  it.each(primaryFaults)('streams from the backup while the primary answers %s', async (_, fault) => {
    const primary = await upstream('primary', [{ fault }]);
    const backup = await upstream('backup');
    const { openai } = client([primary, backup]);

    const { data: stream, response } = await openai.responses.create({ ...ask, stream: true }).withResponse();
    expect(response.headers.get('x-detour-endpoint')).toBe('backup');
    const { text, types } = await streamText(stream);
    expect(text).toContain('Hello from backup');
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(primary.stats().total).toBe(1);
  });

  it('serves every call through a 500 storm, and stops asking the primary once its breaker opens', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 500 } }]);
    const backup = await upstream('backup');
    const { openai, detourFetch } = client([primary, backup], { breaker: { consecutiveFailures: 3, openMs: 60_000 } });
    for (let index = 0; index < 4; index += 1) {
      expect((await openai.responses.create(ask)).output_text).toContain('backup');
      expect((await streamText(await openai.responses.create({ ...ask, stream: true }))).text).toContain('backup');
    }
    expect(primary.stats().total).toBe(3);
    expect(backup.stats().total).toBe(8);
    expect((await detourFetch.router.health())[0]).toMatchObject({ name: 'primary', breaker: 'open', available: false });
  });

  it('serves every call through a 503 storm, and lets the overloaded primary cool after its first answer', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'status', status: 503 } }]);
    const backup = await upstream('backup');
    const { openai, detourFetch } = client([primary, backup]);
    for (let index = 0; index < 4; index += 1) {
      expect((await openai.responses.create(ask)).output_text).toContain('backup');
      expect((await streamText(await openai.responses.create({ ...ask, stream: true }))).text).toContain('backup');
    }
    // OpenAI's 503 says "server_is_overloaded": a cooldown, so the storm costs one wasted round trip, not eight.
    expect(primary.stats().total).toBe(1);
    expect(backup.stats().total).toBe(8);
    // Resting, not refused: passed over while the backup serves, still available should it be the only one.
    const [health] = await detourFetch.router.health();
    expect(health).toMatchObject({ name: 'primary', available: true });
    expect(health!.restingUntil).toBeGreaterThan(Date.now());
  });

  it('fails over a stream cut before its first event', async () => {
    const primary = await upstream('primary', [{ fault: { type: 'cut-stream', afterChunks: 0, mode: 'reset' } }]);
    const backup = await upstream('backup');
    const { openai } = client([primary, backup]);
    const { text } = await streamText(await openai.responses.create({ ...ask, stream: true }));
    expect(text).toContain('backup');
  });

  // Without Detour the SDK ends a closed-early Responses stream quietly and yields an `error` event as an event
  // (testkit's README); through createFetch a cut after the first event must surface as an error from the iterator,
  // never as a clean end. The events go out 20 ms apart on the upstream's timers, in this process: Detour has read
  // and committed the first event long before the break arrives (a break in the very first read fails over instead).
  it.each([
    ['cut (close)', { type: 'cut-stream', afterChunks: 3, mode: 'close' }],
    ['cut (reset)', { type: 'cut-stream', afterChunks: 3, mode: 'reset' }],
    ['an error event', { type: 'stream-error-event', afterChunks: 3 }],
    ['an error event (nested)', { type: 'stream-error-event', afterChunks: 3, variant: 'error-nested' }],
    ['response.failed', { type: 'stream-error-event', afterChunks: 3, variant: 'response.failed' }],
  ] as [string, FaultRule['fault']][])('makes the SDK iterator throw on %s after the first event, and never retries it', async (_, fault) => {
    const primary = await upstream('primary', [{ fault }], { chunkDelayMs: 20 });
    const backup = await upstream('backup');
    const { openai } = client([primary, backup]);
    const stream = await openai.responses.create({ ...ask, stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of stream) seen.push(event.type);
      })(),
    ).rejects.toThrow();
    expect(seen[0]).toBe('response.created');
    expect(seen).not.toContain('response.completed');
    expect(backup.stats().total).toBe(0);
  });

  describe('stored responses', () => {
    // The primary throttles only the first request, so without pinning every later request would go to it.
    const holderSetup = async () => {
      const primary = await upstream('primary', [{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 1 } }]);
      const backup = await upstream('backup');
      const first = client([primary, backup]);
      const stored = await first.openai.responses.create(ask);
      expect(stored.output_text).toContain('backup');
      return { primary, backup, stored, ...first };
    };
    const postsTo = (target: ChaosUpstream) => target.stats().requests.filter((record) => record.method === 'POST');

    it('sends previous_response_id, retrieve and delete only to the endpoint that holds the response', async () => {
      const { primary, backup, stored, openai } = await holderSetup();
      const next = await openai.responses.create({ ...ask, previous_response_id: stored.id });
      expect(next.output_text).toContain('backup');
      const streamed = await openai.responses.create({ ...ask, previous_response_id: next.id, stream: true });
      expect((await streamText(streamed)).text).toContain('backup');
      expect((await openai.responses.retrieve(stored.id)).id).toBe(stored.id);
      await openai.responses.delete(stored.id);
      expect(primary.stats().total).toBe(1);
      expect(backup.stats().byOutcome).toEqual({ ok: 5 });
    });

    it('finds the holder of a response this fetch never served, and continues it there', async () => {
      const { primary, backup, stored } = await holderSetup();
      const fresh = client([primary, backup]);
      const next = await fresh.openai.responses.create({ ...ask, previous_response_id: stored.id });
      expect(next.output_text).toContain('backup');
      // The primary was only asked whether it holds the response (it does not), never sent the continuation.
      expect(postsTo(primary)).toHaveLength(1);
      expect(postsTo(backup).map((record) => (record.body as { previous_response_id?: string }).previous_response_id)).toEqual([undefined, stored.id]);
    });

    it('answers 404 when no endpoint holds the response', async () => {
      const { primary, backup } = await holderSetup();
      // A fresh fetch, where no endpoint is cooling: every storage can answer the lookup, and each says 404.
      const { openai } = client([primary, backup]);
      const error = await openai.responses.create({ ...ask, previous_response_id: 'resp_nobody_has_it' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(postsTo(primary)).toHaveLength(1);
      expect(postsTo(backup)).toHaveLength(1);
    });
  });
});
