import { describe, expect, it } from 'vitest';
import { ANTHROPIC_HEADERS, messagesBody, namedEvents, post, startUpstream } from '../../test/http';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;
const send = (upstream: Upstream, body: Record<string, unknown> | string = messagesBody(), headers = ANTHROPIC_HEADERS, path = '/v1/messages') =>
  post(upstream, path, body, { headers });

/** A system prompt of `length` characters whose block asks to be cached. */
const cachedSystem = (length: number, ttl?: '1h') => [
  { type: 'text', text: 'x'.repeat(length), cache_control: { type: 'ephemeral', ...(ttl ? { ttl } : {}) } },
];

describe('POST /v1/messages', () => {
  it("answers a message in Anthropic's shape with request-id and anthropic-ratelimit headers", async () => {
    const upstream = await startUpstream({ name: 'primary', now: () => Date.parse('2026-12-01T12:00:00Z') });
    const response = await send(upstream);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hello from primary. This is a scripted reply' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 3,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: 8,
        service_tier: 'standard',
      },
    });
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(response.headers.get('x-request-id')).toBeNull();
    for (const dimension of ['requests', 'input-tokens', 'output-tokens', 'tokens']) {
      expect(response.headers.get(`anthropic-ratelimit-${dimension}-limit`)).toMatch(/^\d+$/);
      expect(response.headers.get(`anthropic-ratelimit-${dimension}-remaining`)).toMatch(/^\d+$/);
      expect(response.headers.get(`anthropic-ratelimit-${dimension}-reset`)).toMatch(/^2026-12-01T12:00:\d\dZ$/);
    }
  });

  it('accepts the key as Authorization: Bearer, as the newer SDKs send it', async () => {
    const upstream = await startUpstream();
    const { 'x-api-key': _key, ...rest } = ANTHROPIC_HEADERS;
    const response = await send(upstream, messagesBody(), { ...rest, authorization: 'Bearer sk-ant-test', 'anthropic-version': '2026-10-21' });
    expect(response.status).toBe(200);
  });

  it('rejects a request without a key (401) or without anthropic-version (400), echoing no key', async () => {
    const upstream = await startUpstream();
    const { 'x-api-key': _key, ...noKey } = ANTHROPIC_HEADERS;
    const unauthenticated = await send(upstream, messagesBody(), noKey);
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
      request_id: unauthenticated.headers.get('request-id'),
    });
    const { 'anthropic-version': _version, ...noVersion } = ANTHROPIC_HEADERS;
    const unversioned = await send(upstream, messagesBody(), noVersion);
    expect(unversioned.status).toBe(400);
    const text = await unversioned.text();
    expect(JSON.parse(text).error).toEqual({ type: 'invalid_request_error', message: 'anthropic-version: header is required' });
    expect(text).not.toContain('sk-ant');
    const noMaxTokens = await send(upstream, { model: 'm', messages: [] });
    expect((await noMaxTokens.json()).error.message).toBe('max_tokens: Field required');
    expect(upstream.stats().byOutcome).toEqual({ 'invalid-request': 3 });
  });

  it('answers an unknown Messages path and a broken body in Anthropic shape', async () => {
    const upstream = await startUpstream();
    const missing = await send(upstream, messagesBody(), ANTHROPIC_HEADERS, '/v1/messages/nope');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.type).toBe('not_found_error');
    const broken = await send(upstream, '{"model":', ANTHROPIC_HEADERS);
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.type).toBe('invalid_request_error');
  });

  it('stops at max_tokens with stop_reason max_tokens', async () => {
    const upstream = await startUpstream();
    const body = await (await send(upstream, messagesBody({ max_tokens: 2 }))).json();
    expect(body).toMatchObject({ stop_reason: 'max_tokens', content: [{ text: 'Hello from' }], usage: { output_tokens: 2 } });
  });

  it("streams Anthropic's event grammar, one text_delta per word", async () => {
    const upstream = await startUpstream({ name: 'primary', completionTokens: 4 });
    const text = await (await send(upstream, messagesBody({ stream: true }))).text();
    const events = namedEvents(text);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...Array(4).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    events.forEach((event) => expect(event.data.type).toBe(event.event));
    expect(events[0]!.data.message).toMatchObject({ content: [], stop_reason: null, usage: { input_tokens: 3, cache_read_input_tokens: 0 } });
    expect(events.slice(3, 7).map((event) => event.data.delta)).toEqual([
      { type: 'text_delta', text: 'Hello' },
      { type: 'text_delta', text: ' from' },
      { type: 'text_delta', text: ' primary.' },
      { type: 'text_delta', text: ' This' },
    ]);
    expect(events.at(-2)!.data).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 4 } });
  });
});

describe('prompt caching', () => {
  it('writes a cache_control prefix the first time and reads it on an identical repeat', async () => {
    const upstream = await startUpstream();
    // 400 characters of system prompt = 100 cached tokens; "Say hello." adds 3 uncached ones (103 in all).
    const body = messagesBody({ system: cachedSystem(400) });
    const first = (await (await send(upstream, body)).json()).usage;
    expect(first).toMatchObject({ input_tokens: 3, cache_creation_input_tokens: 100, cache_read_input_tokens: 0 });
    expect(first.cache_creation).toEqual({ ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 0 });
    const second = (await (await send(upstream, body)).json()).usage;
    expect(second).toMatchObject({ input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 });
    const otherModel = (await (await send(upstream, { ...body, model: 'claude-haiku-4-5' })).json()).usage;
    expect(otherModel.cache_creation_input_tokens).toBe(100);
  });

  it('reads the longest cached prefix and writes the rest; a prefix expires after its ttl', async () => {
    let now = 0;
    const upstream = await startUpstream({ now: () => now });
    await send(upstream, messagesBody({ system: cachedSystem(400) }));
    const longer = messagesBody({
      system: cachedSystem(400),
      messages: [{ role: 'user', content: [{ type: 'text', text: 'y'.repeat(40), cache_control: { type: 'ephemeral', ttl: '1h' } }] }],
    });
    const usage = (await (await send(upstream, longer)).json()).usage;
    expect(usage).toMatchObject({ input_tokens: 0, cache_read_input_tokens: 100, cache_creation_input_tokens: 10 });
    expect(usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 10 });
    now = 5 * 60_000 + 1;
    // The 5-minute prefix has expired, so it is written again; the one-hour one has not, so all 110 tokens are read.
    expect((await (await send(upstream, messagesBody({ system: cachedSystem(400) }))).json()).usage.cache_creation_input_tokens).toBe(100);
    expect((await (await send(upstream, longer)).json()).usage).toMatchObject({ cache_read_input_tokens: 110, cache_creation_input_tokens: 0 });
  });

  it('does not cache a prompt whose answer a fault replaced', async () => {
    const upstream = await startUpstream({ script: [{ when: { nth: [1] }, fault: { type: 'status', status: 529 } }] });
    const body = messagesBody({ system: cachedSystem(400) });
    expect((await send(upstream, body)).status).toBe(529);
    expect((await (await send(upstream, body)).json()).usage.cache_creation_input_tokens).toBe(100);
  });
});

describe('POST /v1/messages/count_tokens', () => {
  it('counts the whole prompt, system included, and leaves the cache alone', async () => {
    const upstream = await startUpstream();
    const body = { model: 'm', system: cachedSystem(400), messages: [{ role: 'user', content: 'Say hello.' }] };
    const response = await send(upstream, body, ANTHROPIC_HEADERS, '/v1/messages/count_tokens');
    expect(await response.json()).toEqual({ input_tokens: 103 });
    expect((await (await send(upstream, messagesBody({ system: cachedSystem(400) }))).json()).usage.cache_creation_input_tokens).toBe(100);
  });
});
