import { describe, expect, it, vi } from 'vitest';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { DetourError } from '../errors/detour-error';
import { InvalidOptionsError } from '../errors/invalid-options-error';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply, requestText } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createMemoryStore } from '../state/memory-store';
import { createRouter } from './router';

const ok = (content = 'hi'): ScriptedReply => ({ body: chatCompletion(content) });
const rateLimited = (seconds: number): ScriptedReply => ({
  status: 429,
  headers: { 'retry-after': String(seconds), 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': `${seconds}s` },
  body: { error: { message: `Rate limit reached. Please try again in ${seconds}s.`, type: 'requests', code: 'rate_limit_exceeded' } },
});
const serverError: ScriptedReply = { status: 500, body: { error: { message: 'The server had an error', type: 'server_error' } } };
const refused: ScriptedReply = { error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) };
const chat = (extra: Record<string, unknown> = {}) => ({
  path: '/chat/completions',
  headers: { 'content-type': 'application/json', authorization: 'Bearer caller-key' },
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], ...extra }),
});
const endpoint = (name: string, extra: Record<string, unknown> = {}) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, ...extra });

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter(
    { endpoints: Object.keys(scripts).map((name) => endpoint(name)), ...options } as RouterOptionsInput,
    { transport, clock, sleep: clock.sleep, random: () => 0.5 },
  );
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, transport, router, events };
};

const decode = (body: Uint8Array | undefined) => new TextDecoder().decode(body);
const readAll = async (stream: AsyncIterable<Uint8Array>) => {
  let text = '';
  for await (const chunk of stream) text += new TextDecoder().decode(chunk);
  return text;
};

describe('router simulation: primary throttled, backup down, third healthy', () => {
  it('keeps every request succeeding, never sends to the primary inside its reset, and never sleeps', async () => {
    const clock = createFakeClock();
    const throttleFrom = clock.now() + 1000;
    const transport = createScriptedTransport(
      {
        // The primary answers 429 with a 2 s reset from t = 1 s to t = 5 s.
        primary: (): ScriptedReply => {
          const now = clock.now();
          return now >= throttleFrom && now < throttleFrom + 4000 ? rateLimited(2) : { ...ok('primary'), latencyMs: 20 };
        },
        backup: [refused],
        third: [{ ...ok('third'), latencyMs: 80 }],
      },
      { now: clock.now, advance: clock.advance },
    );
    const router = createRouter(
      {
        endpoints: [endpoint('primary', { priority: 0 }), endpoint('backup', { priority: 1 }), endpoint('third', { priority: 2 })],
        breaker: { openMs: 1000 },
      },
      { transport, clock, sleep: clock.sleep, random: () => 0.5 },
    );

    const served: string[] = [];
    for (let index = 0; index < 200; index += 1) {
      const result = await router.send(chat());
      served.push(result.endpoint);
      clock.advance(50);
    }

    expect(served).toHaveLength(200); // every request succeeded
    expect(clock.sleeps).toEqual([]); // an endpoint could always take the request: nothing ever slept
    const primaryCalls = transport.callsTo('primary');
    const throttled = primaryCalls.filter((call) => call.at >= throttleFrom && call.at < throttleFrom + 4000);
    // Each 429 says "2 s": the next call to the primary comes no sooner than that.
    for (let index = 1; index < throttled.length; index += 1) {
      expect(throttled[index]!.at - throttled[index - 1]!.at).toBeGreaterThanOrEqual(2000);
    }
    expect(throttled.length).toBeLessThanOrEqual(3);
    expect(served.filter((name) => name === 'third').length).toBeGreaterThan(0);
    expect(served.filter((name) => name === 'backup')).toEqual([]);
    // The dead backup's breaker opened: it was not tried on every request.
    expect(transport.callsTo('backup').length).toBeLessThan(20);
  });
});

describe('router', () => {
  it('fails over from a 429 at once, without sleeping, and cools the endpoint until its reset', async () => {
    const { router, clock, transport, events } = setup({ primary: [rateLimited(20), ok('primary')], backup: [ok('backup')] }, {});
    const first = await router.send(chat());
    expect(first.endpoint).toBe('backup');
    expect(first.attempts.map((attempt) => [attempt.endpoint, attempt.kind])).toEqual([['primary', 'rate_limited'], ['backup', 'success']]);
    expect(clock.sleeps).toEqual([]);
    expect(events.some((event) => event.type === 'failover' && event.from === 'primary' && event.to === 'backup')).toBe(true);
    // Within the reset, the primary is skipped entirely.
    for (let index = 0; index < 5; index += 1) expect((await router.send(chat())).endpoint).toBe('backup');
    expect(transport.callsTo('primary')).toHaveLength(1);
    clock.advance(22_001);
    await router.send(chat());
    await router.send(chat());
    expect(transport.callsTo('primary')).toHaveLength(2);
  });

  it('disables an endpoint on insufficient_quota and asks it again only when a hold runs out (5 min, then 10)', async () => {
    const quota: ScriptedReply = { status: 429, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } };
    const { router, transport, clock } = setup({ primary: [quota], backup: [ok()] });
    for (let index = 0; index < 10; index += 1) {
      expect((await router.send(chat())).endpoint).toBe('backup');
      clock.advance(60_000);
    }
    // At 0, and once after the first hold ran out at 5 min (the selection sent the 6th minute's request there); the
    // second hold (10 min) outlasts the test.
    const asked = transport.callsTo('primary').map((call) => call.at - transport.calls[0]!.at);
    expect(asked).toHaveLength(2);
    expect(asked[1]).toBeGreaterThanOrEqual(300_000);
    const health = await router.health();
    expect(health.find((entry) => entry.name === 'primary')).toMatchObject({ available: false, reason: expect.stringContaining('insufficient_quota') });
  });

  it('opens the breaker on a 500 storm and restores the endpoint through a half-open probe', async () => {
    let healthy = false;
    const { router, transport, clock, events } = setup(
      { primary: () => (healthy ? ok('primary') : serverError), backup: [ok('backup')] },
      { breaker: { consecutiveFailures: 3, openMs: 5000 }, endpoints: [endpoint('primary'), endpoint('backup', { priority: 1 })] },
    );
    for (let index = 0; index < 10; index += 1) await router.send(chat());
    expect(transport.callsTo('primary')).toHaveLength(3);
    expect(events.some((event) => event.type === 'breaker-change' && event.to === 'open')).toBe(true);
    healthy = true;
    clock.advance(5000);
    const probe = await router.send(chat());
    expect(probe.endpoint).toBe('primary');
    expect(events.filter((event) => event.type === 'breaker-change').map((event) => event.type === 'breaker-change' && event.to)).toEqual(['open', 'half_open', 'closed']);
    expect((await router.health()).find((entry) => entry.name === 'primary')?.breaker).toBe('closed');
  });

  it('fails fast with when the earliest endpoint frees up once all are cooling', async () => {
    const { router, clock } = setup({ primary: [rateLimited(3), ok()], backup: [rateLimited(7), ok()] }, { maxServerDelayMs: 1000 });
    await expect(router.send(chat())).rejects.toBeInstanceOf(AttemptsExhaustedError);
    const error = await router.send(chat()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoEndpointAvailableError);
    expect((error as NoEndpointAvailableError).retryAfterMs).toBeGreaterThanOrEqual(3000);
    expect((error as NoEndpointAvailableError).retryAfterMs).toBeLessThanOrEqual(3300);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits out a short server delay when no other endpoint can take the request', async () => {
    const { router, clock } = setup({ only: [rateLimited(1), ok('later')] });
    const result = await router.send(chat());
    expect(result.endpoint).toBe('only');
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(1100);
  });

  it('does not sleep past maxServerDelayMs: it gives up with the wait', async () => {
    const { router, clock } = setup({ only: [rateLimited(90), ok()] }, { maxServerDelayMs: 60_000 });
    const error = (await router.send(chat()).catch((caught: unknown) => caught)) as AttemptsExhaustedError;
    expect(error.reason).toBe('exhausted');
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(90_000);
    expect(clock.sleeps).toEqual([]);
    expect(error.lastResponse?.status).toBe(429);
  });

  it('retries a server error on the same endpoint after a jittered backoff when it is the only one', async () => {
    const { router, clock } = setup({ only: [serverError, ok()] }, { backoff: { baseMs: 200 } });
    expect((await router.send(chat())).attempts).toHaveLength(2);
    expect(clock.sleeps).toEqual([100]); // full jitter at a draw of 0.5 of a 200 ms ceiling
  });

  it('fails over a JSON answer that ended cleanly mid-document, and counts it as billed', async () => {
    const truncated: ScriptedReply = { body: JSON.stringify(chatCompletion('cut')).slice(0, 60) };
    const { router, events } = setup({ a: [truncated], b: [ok('b')] });
    const result = await router.send(chat());
    expect(result.endpoint).toBe('b');
    expect(result.attempts[0]).toMatchObject({ endpoint: 'a', kind: 'invalid_response', reason: expect.stringContaining('truncated') });
    expect(events.find((event) => event.type === 'cost-record' && event.outcome === 'failed')).toMatchObject({ endpoint: 'a', estimated: true });
  });

  it('fails over an HTTP 200 whose body is only an error, as OpenRouter sends when a provider fails', async () => {
    const embedded: ScriptedReply = { body: { error: { code: 502, message: 'Provider returned error', metadata: { provider_name: 'x' } } } };
    const { router } = setup({ a: [embedded], b: [ok('b')] });
    const result = await router.send(chat());
    expect(result.endpoint).toBe('b');
    expect(result.attempts[0]).toMatchObject({ endpoint: 'a', kind: 'server_error' });
  });

  it('fails over an HTTP 200 Responses object whose status is failed, as its stream would (attack 13)', async () => {
    // Relayed as it was, `generateText` threw "Invalid JSON response"; the stream's `response.failed` failed over.
    const failed: ScriptedReply = { body: { id: 'resp_1', object: 'response', status: 'failed', error: { code: 'server_error', message: 'The model failed' }, output: [] } };
    const { router } = setup({ a: [failed], b: [ok('b')] });
    const result = await router.send({ ...chat(), path: '/responses' });
    expect(result.endpoint).toBe('b');
    expect(result.attempts[0]).toMatchObject({ endpoint: 'a', kind: 'server_error' });
  });

  it('relays a 200 Responses object failed by its own request (invalid_prompt) as a 400, trying no other endpoint', async () => {
    // Failed over, a bad prompt or image counted a breaker failure on every endpoint (the review).
    const failed: ScriptedReply = { body: { id: 'resp_1', object: 'response', status: 'failed', error: { code: 'invalid_prompt', message: 'Invalid prompt' }, output: [] } };
    const { router, transport } = setup({ a: [failed], b: [ok('b')] });
    const error = (await router.send({ ...chat(), path: '/responses' }).catch((caught: unknown) => caught)) as AttemptsExhaustedError;
    expect(error).toBeInstanceOf(AttemptsExhaustedError);
    expect(error.lastResponse?.status).toBe(400);
    expect(transport.callsTo('b')).toHaveLength(0);
  });

  it("fails over a 200 Responses object failed for the endpoint's own key (invalid_api_key)", async () => {
    const failed: ScriptedReply = { body: { id: 'resp_1', object: 'response', status: 'failed', error: { code: 'invalid_api_key', message: 'Incorrect API key' }, output: [] } };
    const { router } = setup({ a: [failed], b: [ok('b')] });
    expect((await router.send({ ...chat(), path: '/responses' })).endpoint).toBe('b');
  });

  it('does not retry a request the provider rejected, and keeps its answer', async () => {
    const invalid: ScriptedReply = { status: 400, body: { error: { message: 'bad temperature', type: 'invalid_request_error', code: 'invalid_value' } } };
    const { router, transport } = setup({ primary: [invalid], backup: [ok()] });
    const error = (await router.send(chat()).catch((caught: unknown) => caught)) as AttemptsExhaustedError;
    expect(error).toBeInstanceOf(AttemptsExhaustedError);
    expect(error.reason).toBe('not_retryable');
    expect(error.retryable).toBe(false);
    expect(error.lastResponse).toMatchObject({ status: 400, bodyText: expect.stringContaining('bad temperature') });
    expect(transport.callsTo('backup')).toHaveLength(0);
  });

  it('lists every attempt in the final error', async () => {
    const { router } = setup({ a: [serverError], b: [serverError] }, { maxAttempts: 2 });
    const error = (await router.send(chat()).catch((caught: unknown) => caught)) as AttemptsExhaustedError;
    expect(error.code).toBe('attempts_exhausted');
    expect(error.attempts.map((attempt) => [attempt.endpoint, attempt.status, attempt.kind])).toEqual([['a', 500, 'server_error'], ['b', 500, 'server_error']]);
    expect(error.message).toContain('#1 a: HTTP 500 server_error');
  });

  it('honours the overall deadline across attempts and waits', async () => {
    const { router, clock, transport } = setup({ slow: [{ hang: true }] }, { deadlineMs: 1000 });
    const pending = router.send(chat()).catch((caught: unknown) => caught);
    await vi.waitFor(() => expect(transport.calls).toHaveLength(1));
    clock.advance(1000);
    const error = (await pending) as AttemptsExhaustedError;
    expect(error.reason).toBe('deadline');
    expect(error.code).toBe('deadline_exceeded');
    expect(clock.pendingTimers).toBe(0);
  });

  it('stops all work when the caller aborts', async () => {
    const { router, transport } = setup({ a: [{ hang: true }], b: [ok()] });
    const controller = new AbortController();
    const pending = router.send({ ...chat(), signal: controller.signal }).catch((caught: unknown) => caught);
    await vi.waitFor(() => expect(transport.calls).toHaveLength(1));
    controller.abort(new Error('user went away'));
    const error = (await pending) as AttemptsExhaustedError;
    expect(error.reason).toBe('aborted');
    expect(transport.calls).toHaveLength(1);
  });

  it('maps the public model name per endpoint and replaces the caller\'s key', async () => {
    const clock = createFakeClock();
    const transport = createScriptedTransport({ azure: [ok()], other: [ok()] }, { now: clock.now });
    const router = createRouter(
      {
        endpoints: [
          { name: 'azure', baseUrl: 'https://x.openai.azure.com/openai/deployments/prod', apiKey: 'az-key', apiKeyHeader: 'api-key', models: { 'gpt-4.1': 'prod-gpt41' }, query: { 'api-version': '2024-10-21' } },
          { name: 'other', baseUrl: 'https://other.example/v1', models: ['gpt-4o'] },
        ],
      },
      { transport, clock },
    );
    const result = await router.send(chat());
    expect(result.upstreamModel).toBe('prod-gpt41');
    const request = transport.calls[0]!.request;
    expect(request.url).toBe('https://x.openai.azure.com/openai/deployments/prod/chat/completions?api-version=2024-10-21');
    expect(request.headers['api-key']).toBe('az-key');
    expect(request.headers.authorization).toBeUndefined();
    expect(JSON.parse(requestText(request)).model).toBe('prod-gpt41');
    // Renamed bodies go out as bytes too, like the caller's (one copy held while the answer lasts, not two).
    expect(request.body).toBeInstanceOf(Uint8Array);
    await expect(router.send({ ...chat(), body: JSON.stringify({ model: 'unknown-model' }) })).rejects.toMatchObject({ code: 'model_not_found' });
    // The endpoint's own query wins over the caller's parameter of the same name; the caller's others pass.
    await router.send({ ...chat(), path: '/chat/completions?api-version=EVIL&beta=1' });
    expect(transport.calls[1]!.request.url).toBe('https://x.openai.azure.com/openai/deployments/prod/chat/completions?api-version=2024-10-21&beta=1');
  });

  it('spreads traffic by weight within a tier', async () => {
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: [ok()], b: [ok()], c: [ok()] });
    const router = createRouter(
      { endpoints: [endpoint('a', { weight: 5 }), endpoint('b'), endpoint('c')] },
      { transport, clock },
    );
    const order: string[] = [];
    for (let index = 0; index < 7; index += 1) order.push((await router.send(chat())).endpoint);
    expect(order.join(',')).toBe('a,a,b,a,c,a,a');
  });

  it('prices a request with the billed attempt that failed over, as its cost records say', async () => {
    const { router, events } = setup({ a: [{ body: '{"id":"chatcmpl-cut","choices":[{"mess' }], b: [ok()] });
    const result = await router.send(chat());
    expect(result.endpoint).toBe('b');
    const records = events.filter((event) => event.type === 'cost-record');
    expect(records.map((record) => record.outcome)).toEqual(['failed', 'success']);
    const recorded = records.reduce((sum, record) => sum + (record.costUsd ?? 0), 0);
    expect(records[0]!.costUsd).toBeGreaterThan(0);
    expect(result.costUsd).toBeCloseTo(recorded, 12);
  });

  it('prices a served response from its usage and reports it', async () => {
    const { router, events } = setup({ a: [ok()] });
    const result = await router.send(chat());
    expect(result.costUsd).toBeCloseTo((10 * 2 + 5 * 8) / 1e6, 12);
    expect(events.find((event) => event.type === 'cost-record')).toMatchObject({ outcome: 'success', model: 'gpt-4.1' });
    expect(decode(result.body)).toContain('chatcmpl-test');
  });

  it('cools an endpoint whose success used the last of its limit', async () => {
    const last: ScriptedReply = { body: chatCompletion('x'), headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '5s' } };
    const { router, transport } = setup({ a: [last, ok()], b: [ok()] });
    expect((await router.send(chat())).endpoint).toBe('a');
    expect((await router.send(chat())).endpoint).toBe('b');
    expect(transport.callsTo('a')).toHaveLength(1);
  });

  it('with admission off, cools for the whole reset an endpoint whose success used the last of its limit', async () => {
    const last: ScriptedReply = {
      body: chatCompletion('x'),
      headers: { 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '60s' },
    };
    const { router, transport, clock } = setup({ a: [last, ok(), ok()], b: [ok(), ok()] }, { admission: { enabled: false } });
    expect((await router.send(chat())).endpoint).toBe('a');
    clock.advance(30_000);
    expect((await router.send(chat())).endpoint).toBe('b');
    expect(transport.callsTo('a')).toHaveLength(1);
  });

  it('with admission on, lets the refilling quota model decide instead of cooling for a time-until-full reset', async () => {
    // 60 rpm, empty, "full again in 60 s": one request fits again after a second, not a minute.
    const last: ScriptedReply = {
      body: chatCompletion('x'),
      headers: { 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '60s' },
    };
    const { router, transport, clock, events } = setup({ a: [last, ok()], b: [ok(), ok()] }, { endpoints: [endpoint('a', { priority: 0 }), endpoint('b', { priority: 1 })] });
    expect((await router.send(chat())).endpoint).toBe('a');
    expect(events.some((event) => event.type === 'cooldown-start')).toBe(false);
    // Not yet refilled: the model skips a.
    expect((await router.send(chat())).endpoint).toBe('b');
    clock.advance(1_000);
    // A high request (a normal one leaves a second of refill for high ones: see docs/quota.md, priority reserve).
    expect((await router.send({ ...chat(), priority: 'high' })).endpoint).toBe('a');
    expect(transport.callsTo('a')).toHaveLength(2);
  });

  it('validates options and names the bad field', () => {
    const transport = createScriptedTransport({});
    const build = () => createRouter({ endpoints: [endpoint('a'), endpoint('b', { weight: -1 })] }, { transport });
    expect(build).toThrow(InvalidOptionsError);
    expect(build).toThrow(/endpoints\[1\]\.weight/);
    expect(() => createRouter({ endpoints: [endpoint('a'), endpoint('a')] }, { transport })).toThrow(/endpoints\[1\]\.name: duplicate/);
    // Longer than a platform timer waits: Node would fire it after 1 ms, failing every request at once.
    expect(() => createRouter({ endpoints: [endpoint('a')], deadlineMs: 2_147_483_653 }, { transport })).toThrow(/deadlineMs: expected at most 2147483647 ms/);
    expect(() => createRouter({ endpoints: [endpoint('a')], firstByteTimeoutMs: 2 ** 32 }, { transport })).toThrow(/firstByteTimeoutMs/);
    // What --check used to pass and every request then failed on (or printed a password).
    const refused = [
      [{ baseUrl: 'https://user:sk-password-123@a.example/v1' }, /endpoints\[0\]\.baseUrl: put credentials in apiKey or headers/],
      [{ headers: { 'x-a': 'one\r\nx-injected: two' } }, /endpoints\[0\]\.headers: expected header names/],
      [{ headers: { 'bad name': 'x' } }, /endpoints\[0\]\.headers/],
      [{ models: [] }, /endpoints\[0\]\.models: list at least one model, or leave models out/],
      // The path was appended after the query (the upstream saw `/v1?key=…/chat/completions`) or lost to a fragment.
      [{ baseUrl: 'https://a.example/v1?key=sk-in-the-url' }, /endpoints\[0\]\.baseUrl: put query parameters in query, not in the URL/],
      [{ baseUrl: 'https://a.example/v1#frag' }, /endpoints\[0\]\.baseUrl: put query parameters in query/],
      [{ apiKey: 'sk-abc\r\nx-injected: 1' }, /endpoints\[0\]\.apiKey: expected printable ASCII without spaces/],
      // A pasted ellipsis (and any character past ASCII) failed every request inside the transport as a network
      // error, which neither health nor the breaker showed; a space or a control character is no key either.
      [{ apiKey: 'sk-…SECRETX' }, /endpoints\[0\]\.apiKey: expected printable ASCII without spaces/],
      [{ apiKey: 'sk-ключ' }, /endpoints\[0\]\.apiKey: expected printable ASCII/],
      [{ apiKey: 'sk abc' }, /endpoints\[0\]\.apiKey: expected printable ASCII/],
      [{ apiKey: 'sk-\u0001abc' }, /endpoints\[0\]\.apiKey: expected printable ASCII/],
      [{ headers: { 'x-a': 'one…two' } }, /endpoints\[0\]\.headers: expected header names/],
      [{ headers: { 'x-a': 'bell\u0007' } }, /endpoints\[0\]\.headers: expected header names/],
      [{ headers: { Host: 'evil.example' } }, /endpoints\[0\]\.headers: leave host, content-length/],
      [{ headers: { 'transfer-encoding': 'chunked' } }, /endpoints\[0\]\.headers: leave host/],
    ] as const;
    for (const [extra, message] of refused) expect(() => createRouter({ endpoints: [endpoint('a', extra)] }, { transport })).toThrow(message);
    // An `@` outside the authority is no credential.
    expect(() => createRouter({ endpoints: [endpoint('a', { baseUrl: 'https://a.example/v1/@team', headers: { 'x-ok': 'a b\tcafé' } })] }, { transport })).not.toThrow();
  });

  it('refuses oversized request bodies with a stable code', async () => {
    const { router, transport } = setup({ a: [ok()] }, { maxRequestBytes: 10 });
    await expect(router.send(chat())).rejects.toSatisfy((error: unknown) => DetourError.isInstance(error) && error.code === 'request_too_large');
    // Text is measured in UTF-8 bytes: 4 characters of 3 bytes each are over 10; 3 of them are not.
    await expect(router.send({ path: '/embeddings', body: '€€€€' })).rejects.toMatchObject({ code: 'request_too_large', message: 'The request body is 12 bytes; the limit is 10.' });
    await router.send({ path: '/embeddings', body: '€€€' });
    expect(requestText(transport.calls[0]!.request)).toBe('€€€');
    // More characters than the limit are more bytes than it, refused before any encoding.
    await expect(router.send({ path: '/embeddings', body: 'x'.repeat(11) })).rejects.toMatchObject({ code: 'request_too_large', message: 'The request body is over 10 bytes; the limit is 10.' });
  });
});

describe('router, under the faults a review found', () => {
  it('polls an endpoint whose half-open probe is busy instead of spinning, and still succeeds', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore();
    const transport = createScriptedTransport({ a: [serverError, ok('a')], b: [ok('b')] }, { now: clock.now });
    const options = { endpoints: [endpoint('a'), endpoint('b', { priority: 1 })], breaker: { consecutiveFailures: 1 } };
    const router = createRouter(options, { transport, clock, sleep: clock.sleep, random: () => 0.5, store });
    // Another request holds b's only probe slot.
    store.write('b', { ...store.read('b'), breaker: { ...store.read('b').breaker, position: 'half_open', probes: [clock.now()] } });
    const result = await router.send(chat());
    expect(result.endpoint).toBe('a');
    // It looks again at b every 250 ms (the probe's verdict could come any moment) until a's breaker lets a probe
    // through after 5 s: no 1 ms spin, and no retry budget spent on looks that sent nothing.
    expect(clock.sleeps.every((ms) => ms >= 250)).toBe(true);
    expect(clock.sleeps.reduce((total, ms) => total + ms, 0)).toBeLessThanOrEqual(5000);
  });

  it('treats a reset after [DONE] as a whole answer, not a cut', async () => {
    const done = ['{"choices":[{"delta":{"content":"a"}}]}', '[DONE]'];
    const { router } = setup({ a: [{ events: done, cut: { afterEvents: 2, mode: 'error' } }] });
    const result = await router.send(chat({ stream: true }));
    expect(await readAll(result.stream!)).toContain('[DONE]');
  });

  it('ends a Responses API stream cleanly on response.incomplete for max_output_tokens', async () => {
    const incomplete = [
      'event: response.created\ndata: {"type":"response.created"}\n\n',
      'event: response.incomplete\ndata: {"type":"response.incomplete","response":{"incomplete_details":{"reason":"max_output_tokens"}}}\n\n',
    ];
    const { router } = setup({ a: [{ events: incomplete }] });
    const result = await router.send({ ...chat({ stream: true }), path: '/responses' });
    expect(await readAll(result.stream!)).toContain('response.incomplete');
  });

  it('fails over a JSON answer cut where it happens to end in a brace', async () => {
    const whole = JSON.stringify(chatCompletion('hello {world}'));
    const cut = whole.slice(0, whole.indexOf('{world}') + '{world}'.length);
    expect(cut.endsWith('}')).toBe(true);
    const { router } = setup({ a: [{ body: cut }], b: [ok('b')] });
    expect((await router.send(chat())).endpoint).toBe('b');
  });

  it('injects stream_options as text, leaving large integers exactly as the caller wrote them', async () => {
    const { router, transport } = setup({ a: [{ events: ['{"choices":[{"delta":{"content":"a"}}]}', '[DONE]'] }] }, { streamUsage: 'inject' });
    const body = '{"model":"gpt-4.1","stream":true,"seed":12345678901234567890,"messages":[]}';
    const result = await router.send({ path: '/chat/completions', body });
    await readAll(result.stream!);
    expect(requestText(transport.calls[0]!.request)).toBe('{"model":"gpt-4.1","stream":true,"seed":12345678901234567890,"messages":[],"stream_options":{"include_usage":true}}');
  });

  it('hands the transport a text body as bytes, encoded once: what a stream holds for its life is one copy', async () => {
    const { router, transport } = setup({ a: [ok(), { events: ['{"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]}', '[DONE]'] }] }, { streamUsage: 'inject' });
    const asked = chat();
    await router.send(asked);
    await readAll((await router.send(chat({ stream: true }))).stream!);
    const [json, stream] = transport.calls.map((call) => call.request);
    expect(json!.body).toBeInstanceOf(Uint8Array);
    expect(requestText(json!)).toBe(asked.body);
    expect(stream!.body).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(requestText(stream!)).stream_options).toEqual({ include_usage: true });
  });

  it('reads a JSON answer whose usage is null and whose text holds a brace', async () => {
    const odd: ScriptedReply = { body: '{"id":"x","usage":null,"choices":[{"message":{"content":"if (x) {"}}]}' };
    const { router } = setup({ a: [odd], b: [ok()] });
    expect((await router.send(chat())).endpoint).toBe('a');
  });
});

describe('router streaming', () => {
  const events = ['{"choices":[{"delta":{"content":"a"}}]}', '{"choices":[{"delta":{"content":"b"}}]}', '[DONE]'];

  it('fails over when a stream is cut before its first event', async () => {
    const { router } = setup({ a: [{ events, cut: { afterEvents: 0, mode: 'error' } }], b: [{ events }] });
    const result = await router.send(chat({ stream: true }));
    expect(result.endpoint).toBe('b');
    expect(await readAll(result.stream!)).toContain('[DONE]');
  });

  it('relays a stream whose lines end with a lone CR, rescue and usage filter on the way', async () => {
    const cr = (data: string) => `data: ${data}\r\r`;
    const lone = [cr('{"choices":[{"index":0,"delta":{"content":"a"}}]}'), cr('{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}'), cr('[DONE]')];
    for (const options of [{}, { streamUsage: 'inject' as const }]) {
      const { router } = setup({ a: [{ events: lone }] }, options);
      const result = await router.send(chat({ stream: true }));
      expect(result.endpoint).toBe('a');
      const text = await readAll(result.stream!);
      expect(text).toContain('"content":"a"');
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    }
  });

  it('does not commit on keep-alive comments before the first event', async () => {
    const { router } = setup({ a: [{ events: [': keep-alive\n\n'], cut: { afterEvents: 1, mode: 'close' } }], b: [{ events }] });
    expect((await router.send(chat({ stream: true }))).endpoint).toBe('b');
  });

  it('fails over on an error event before the first data', async () => {
    const { router } = setup({ a: [{ events: ['{"error":{"code":503,"message":"overloaded"}}'] }], b: [{ events }] });
    expect((await router.send(chat({ stream: true }))).endpoint).toBe('b');
  });

  it('throws from the stream when it is cut after the first event (rescue off)', async () => {
    const { router, events: seen } = setup({ a: [{ events, cut: { afterEvents: 1, mode: 'error' } }], b: [{ events }] }, { rescue: 'off' });
    const result = await router.send(chat({ stream: true }));
    expect(result.endpoint).toBe('a');
    await expect(readAll(result.stream!)).rejects.toBeInstanceOf(StreamInterruptedError);
    expect(seen.find((event) => event.type === 'request-end')).toMatchObject({ ok: false, code: 'stream_interrupted' });
  });

  it('never passes a close without [DONE] off as a clean end', async () => {
    const { router } = setup({ a: [{ events, cut: { afterEvents: 2, mode: 'close' } }] });
    const result = await router.send(chat({ stream: true }));
    await expect(readAll(result.stream!)).rejects.toThrow(/without its terminating event/);
  });

  it('reports stream usage and cost when the stream ends', async () => {
    const withUsage = ['{"choices":[{"delta":{"content":"a"}}]}', '{"choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":100,"total_tokens":1100}}', '[DONE]'];
    const { router, events: seen } = setup({ a: [{ events: withUsage }] });
    const result = await router.send(chat({ stream: true }));
    await readAll(result.stream!);
    expect(seen.find((event) => event.type === 'cost-record')).toMatchObject({ outcome: 'success', estimated: false, costUsd: (1000 * 2 + 100 * 8) / 1e6 });
  });

  it('asks for stream usage to price the stream, and hides it from a caller who did not ask', async () => {
    const withUsage = ['{"choices":[{"delta":{"content":"a"}}]}', '{"choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":100,"total_tokens":1100}}', '[DONE]'];
    const { router, transport, events: seen } = setup({ a: [{ events: withUsage }] }, { streamUsage: 'inject' });
    const result = await router.send(chat({ stream: true }));
    const text = await readAll(result.stream!);
    expect(JSON.parse(requestText(transport.calls[0]!.request)).stream_options).toEqual({ include_usage: true });
    expect(text).not.toContain('usage');
    expect(text).toContain('[DONE]');
    expect(seen.find((event) => event.type === 'cost-record')).toMatchObject({ estimated: false, costUsd: (1000 * 2 + 100 * 8) / 1e6 });
    const asked = await router.send(chat({ stream: true, stream_options: { include_usage: true } }));
    expect(await readAll(asked.stream!)).toContain('usage');
  });

  it('times out a stream whose first byte does not come, and fails over', async () => {
    const { router, clock, transport } = setup({ a: [{ hang: true }], b: [{ events }] }, { firstByteTimeoutMs: 3000 });
    const pending = router.send(chat({ stream: true }));
    await vi.waitFor(() => expect(transport.calls).toHaveLength(1));
    clock.advance(3000);
    const result = await pending;
    expect(result.endpoint).toBe('b');
    expect(result.attempts[0]).toMatchObject({ kind: 'timeout' });
  });
});
