import { describe, expect, it } from 'vitest';
import { createDetourFetch } from '../fetch/create-detour-fetch';
import type { Transport } from '../ports/transport';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';
import { createRouter } from './router';

// Upstreams that answer in the wrong HTTP shape, found by the twelfth attack (docs/attacks/twelfth), and what the
// review of its fixes found. Each test here failed on the code before its fix, but for those that say they guard
// what already held. Endpoint `a` is the preferred tier, `b` the healthy backup.

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const endpoints = Object.keys(scripts).map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, priority }));
  const router = createRouter({ endpoints, ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  return { transport, router, fetch: createDetourFetch(router) };
};

const chat = (extra: Record<string, unknown> = {}) => ({
  path: '/chat/completions',
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], ...extra }),
});
const ok = (name: string): ScriptedReply => ({ body: chatCompletion(name) });
const streamed = (name: string): ScriptedReply => ({
  events: [JSON.stringify({ choices: [{ index: 0, delta: { content: name }, finish_reason: 'stop' }] }), '[DONE]'],
});
const post = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the twelfth attack: answers in the wrong shape', () => {
  it('fails over a stream request answered with a whole JSON document, which a streaming SDK would read as a clean, empty end', async () => {
    const { router } = setup({ a: [ok('a')], b: [streamed('b')] });
    const served = await router.send(chat({ stream: true }));
    expect(served.endpoint).toBe('b');
    expect(served.stream).toBeDefined();
    expect(served.attempts[0]).toMatchObject({ endpoint: 'a', kind: 'invalid_response', reason: 'HTTP 200 answer is JSON, not a stream' });
  });

  it('answers an error, never an empty success, when the only endpoint answers a stream request with JSON', async () => {
    const { fetch } = setup({ a: [ok('a')] });
    const response = await fetch('https://detour/v1/chat/completions', post(chat({ stream: true }).body));
    expect(response.status).toBe(502);
    expect(response.headers.get('x-detour-error')).toBe('attempts_exhausted');
  });

  it('still reads a JSON error body answered to a stream request as the error it is (guards what held)', async () => {
    const { router } = setup({ a: [{ status: 200, body: { error: { message: 'provider down', code: 503 } } }], b: [streamed('b')] });
    const served = await router.send(chat({ stream: true }));
    expect(served.attempts[0]).toMatchObject({ endpoint: 'a', status: 503, kind: 'overloaded' });
  });

  it('fails over a JSON request answered with an event stream, which would reach the SDK as raw text', async () => {
    const { router } = setup({ a: [streamed('a')], b: [ok('b')] });
    const served = await router.send(chat());
    expect(served.endpoint).toBe('b');
    expect(served.attempts[0]).toMatchObject({ endpoint: 'a', kind: 'invalid_response', reason: 'HTTP 200 answer is a stream, not JSON' });
  });

  it.each([
    ['a 204', { status: 204 }],
    ['a 205', { status: 205 }],
    ['null', { body: 'null' }],
    ['an array', { body: '[]' }],
    ['a number', { body: '42' }],
    ['an empty object', { body: '{}' }],
  ])('fails over a chat answer that is %s', async (_, reply) => {
    const { router } = setup({ a: [reply as ScriptedReply], b: [ok('b')] });
    const served = await router.send(chat());
    expect(served.endpoint).toBe('b');
    expect(served.attempts[0]).toMatchObject({ endpoint: 'a', kind: 'invalid_response' });
  });

  it('refuses the other shape without counting it against the endpoint: the verdict rests on how Detour read the request', async () => {
    // Five stream requests answered with JSON opened every breaker before the review: one caller could take every
    // endpoint out of rotation for everyone.
    const scripts = { a: Array.from({ length: 6 }, () => ok('a')), b: Array.from({ length: 5 }, () => ok('b')) };
    const { router } = setup(scripts, { breaker: { consecutiveFailures: 3 } });
    for (let index = 0; index < 5; index += 1) await router.send(chat({ stream: true })).catch(() => undefined);
    expect((await router.health()).map((entry) => entry.breaker)).toEqual(['closed', 'closed']);
    expect((await router.send(chat())).endpoint).toBe('a');
  });

  it('prices a refused JSON answer by the usage it reported', async () => {
    const costly: ScriptedReply = { body: chatCompletion('a', { completionTokens: 5000 }) };
    const { router } = setup({ a: [costly], b: [streamed('b')] }, { prices: [{ model: 'gpt-4.1', inputPerMTok: 2, outputPerMTok: 8 }] });
    const costs: unknown[] = [];
    router.subscribe((event) => {
      if (event.type === 'cost-record' && event.endpoint === 'a') costs.push(event);
    });
    await router.send(chat({ stream: true }));
    expect(costs).toEqual([expect.objectContaining({ outcome: 'failed', estimated: false, usage: expect.objectContaining({ outputTokens: 5000 }) })]);
  });

  it('judges the shape only where the request says it: a stray `stream` on embeddings, a `stream` that is no boolean (guards what held)', async () => {
    const embedding = { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1] }], usage: { prompt_tokens: 1, total_tokens: 1 } };
    const { router } = setup({ a: [{ body: embedding }] });
    const served = await router.send({ path: '/embeddings', body: JSON.stringify({ model: 'e', input: 'x', stream: true }) });
    expect(served.endpoint).toBe('a');
    // vLLM reads `"stream": "true"` as true; Detour cannot tell, so either shape passes.
    const { router: lenient } = setup({ a: [streamed('a')] });
    expect((await lenient.send(chat({ stream: 'true' }))).stream).toBeDefined();
  });

  it('serves a 304 to a conditional GET on a JSON route, and relays a redirect of a file download (guards what held)', async () => {
    const { router } = setup({ a: [{ status: 304 }] });
    const notModified = await router.send({ path: '/chat/completions?limit=1', method: 'GET', headers: { 'if-none-match': '"v1"' } });
    expect(notModified.status).toBe(304);
    const storage: ScriptedReply = { status: 302, headers: { location: 'https://storage.example/file-1?sig=x' }, body: '' };
    const { router: files } = setup({ a: [storage] });
    const download = await files.send({ path: '/files/file-1/content', method: 'GET' });
    expect([download.status, download.headers.location]).toEqual([302, 'https://storage.example/file-1?sig=x']);
  });

  it('fails over a redirect with a JSON body, relays no Location, and counts it against the endpoint', async () => {
    const redirect: ScriptedReply = { status: 307, headers: { location: 'https://elsewhere.example/steal?key=sk-a' }, body: { ok: 1 } };
    const { router, transport } = setup({ a: [redirect], b: [ok('b')] });
    const served = await router.send(chat());
    expect(served.endpoint).toBe('b');
    expect(served.attempts[0]).toMatchObject({ endpoint: 'a', status: 307, kind: 'invalid_response' });
    expect(transport.callsTo('a')).toHaveLength(1);

    const { fetch } = setup({ a: [redirect, redirect, redirect, redirect] });
    const response = await fetch('https://detour/v1/chat/completions', post(chat().body));
    expect(response.status).toBe(502);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect, not followed');

    const { router: lone } = setup({ a: Array.from({ length: 4 }, () => redirect), b: Array.from({ length: 4 }, () => ok('b')) }, { breaker: { consecutiveFailures: 2 } });
    await lone.send(chat());
    await lone.send(chat());
    expect((await lone.health())[0]).toMatchObject({ name: 'a', breaker: 'open' });
  });

  it('reads media types without regard to case: `Text/Event-Stream` is a stream, `Application/JSON` is JSON', async () => {
    const { router } = setup({ a: [{ ...streamed('a'), headers: { 'content-type': 'Text/Event-Stream; charset=UTF-8' } }] });
    expect((await router.send(chat({ stream: true }))).stream).toBeDefined();
    // A route that is not JSON's own parses only what says it is JSON: here an error in a 200, which fails over.
    const labelled: ScriptedReply = { body: { error: { message: 'provider down', code: 503 } }, headers: { 'content-type': 'Application/JSON' } };
    const { router: files } = setup({ a: [labelled], b: [{ body: { id: 'file-1', object: 'file' } }] });
    const served = await files.send({ path: '/files/file-1', method: 'GET' });
    expect(served.endpoint).toBe('b');
  });

  it.each([[421, 'server_error'], [425, 'conflict']])('fails over a %i (%s)', async (status, kind) => {
    const { router } = setup({ a: [{ status: status as number, body: { error: { message: 'try again' } } }], b: [ok('b')] });
    const served = await router.send(chat());
    expect(served.endpoint).toBe('b');
    expect(served.attempts[0]).toMatchObject({ endpoint: 'a', status, kind });
  });

  it('answers 502, not a RangeError, when the last word was a status past 599', async () => {
    const { fetch } = setup({ a: Array.from({ length: 4 }, () => ({ status: 600, body: { error: { message: 'odd' } } })) });
    const response = await fetch('https://detour/v1/chat/completions', post(chat().body));
    expect(response.status).toBe(502);
    expect(response.headers.get('x-should-retry')).toBe('false');
  });
});

/** A router on one endpoint whose stream sends exactly these chunks, then closes. */
const rawStream = (chunks: readonly string[], provider?: string) => {
  const encoder = new TextEncoder();
  const transport: Transport = async () => ({
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    body: (async function* () {
      for (const chunk of chunks) yield encoder.encode(chunk);
    })(),
    cancel: () => undefined,
  });
  const clock = createFakeClock();
  const endpoint = { name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', ...(provider ? { provider } : {}) };
  return createRouter({ endpoints: [endpoint] } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
};

const readAll = async (stream: AsyncIterable<Uint8Array>) => {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  return text;
};

const delta = 'data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n';
const stop = 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n';
const messagesBody = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, stream: true, messages: [{ role: 'user', content: 'hi' }] });
const messagesEvents = [
  'event: message_start\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":3,"output_tokens":1}}}\n\n',
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n',
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}\n\n',
];

// Before the fix each of these spun the event loop for ever: a read answered at once left a settled promise as the
// read in flight, and the next read waited behind it, calling itself again without end (the process then ran out of
// memory). Rescue (on by default) is what holds such a last line back until the close.
describe('the twelfth attack: a whole answer whose last line has no blank line after it', () => {
  it.each([
    // The last line comes in the chunk that carries content: the read that follows finds the answer whole at once.
    ['`[DONE]` and one line break', [delta, `${stop}data: [DONE]\n`]],
    ['a keep-alive comment after `[DONE]`', [delta, `${stop}data: [DONE]\n\n: keep-alive\n`]],
  ])('ends a chat stream with %s cleanly', async (_, chunks) => {
    const served = await rawStream(chunks).send(chat({ stream: true }));
    const text = await readAll(served.stream!);
    expect(text).toContain('[DONE]');
  });

  it('ends a Messages stream whose `message_stop` has one line break cleanly', async () => {
    const router = rawStream([messagesEvents.join('') + 'event: message_stop\ndata: {"type":"message_stop"}\n'], 'anthropic');
    const served = await router.send({ path: '/messages', body: messagesBody });
    expect(await readAll(served.stream!)).toContain('message_stop');
  });

  it('answers a read after the end with the end again', async () => {
    const served = await rawStream([delta, `${stop}data: [DONE]\n`]).send(chat({ stream: true }));
    const stream = served.stream!;
    await readAll(stream);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });
});
