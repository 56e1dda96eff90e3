import { describe, expect, it } from 'vitest';
import { createDetourFetch } from '../fetch/create-detour-fetch';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { createScriptedTransport, type EndpointScript, requestText } from '../testing/scripted-transport';
import { createRouter } from './router';

// Legitimate traffic the fourteenth attack (docs/attacks/fourteenth) found Detour breaking. Each test here failed on
// the code before its fix. Endpoint `a` is the preferred tier, `b` the backup.

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const endpoints = Object.keys(scripts).map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, priority }));
  const router = createRouter({ endpoints, ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  return { transport, router, clock, fetch: createDetourFetch(router) };
};

const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the fourteenth attack: streams of routes whose grammar Detour does not know', () => {
  const speech = [
    JSON.stringify({ type: 'speech.audio.delta', audio: 'AAAA' }),
    JSON.stringify({ type: 'speech.audio.delta', audio: 'BBBB' }),
    JSON.stringify({ type: 'speech.audio.done', usage: { input_tokens: 5, output_tokens: 9, total_tokens: 14 } }),
  ];

  it.each([
    ['/audio/speech', { model: 'gpt-4o-mini-tts', input: 'hi', voice: 'alloy', stream_format: 'sse' }],
    ['/audio/transcriptions', { model: 'gpt-4o-transcribe', stream: true }],
    ['/images/generations', { model: 'gpt-image-1', prompt: 'a cat', stream: true }],
  ])('relays a whole %s stream that closes after its own last event, without [DONE]', async (route, body) => {
    const { fetch } = setup({ a: [{ events: speech }] });
    const response = await fetch(`https://detour/v1${route}`, post(body));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('speech.audio.done');
  });

  it('still fails such a stream on an error event, and on a reset', async () => {
    const errored = setup({ a: [{ events: [speech[0]!, JSON.stringify({ type: 'error', error: { message: 'boom' } })] }] });
    const first = await errored.fetch('https://detour/v1/audio/speech', post({ model: 'tts', input: 'hi', stream_format: 'sse' }));
    await expect(first.text()).rejects.toThrow();
    const reset = setup({ a: [{ events: speech, cut: { afterEvents: 1, mode: 'error' } }] });
    const second = await reset.fetch('https://detour/v1/audio/speech', post({ model: 'tts', input: 'hi', stream_format: 'sse' }));
    await expect(second.text()).rejects.toThrow();
  });

  it('judges a chat stream on a path of no known API by its events: cut, it still fails (the review)', async () => {
    // An Azure deployment path (no `/v1/`) is a route Detour does not know; its stream is chat all the same.
    const cut = [JSON.stringify({ choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] })];
    const { router } = setup({ a: [{ events: cut }] }, { rescue: 'off' });
    const served = await router.send({ method: 'POST', path: '/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21', body: JSON.stringify({ messages: [], stream: true }) });
    const read = async () => {
      for await (const _ of served.stream!) void _;
    };
    await expect(read()).rejects.toThrow(/terminating event/);
  });

  it('still fails a chat stream that closes without [DONE] or a finish_reason (guards what held)', async () => {
    const { fetch } = setup({ a: [{ events: [JSON.stringify({ choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] })] }] });
    const response = await fetch('https://detour/v1/chat/completions', post({ model: 'gpt-4.1', messages: [], stream: true }));
    // The fetch adapter ends a cut chat stream with an error event in the API's shape.
    expect(await response.text()).toMatch(/stream_interrupted.*terminating event|terminating event.*stream_interrupted/);
  });
});

describe('the fourteenth attack: a renamed model changes nothing else in the body', () => {
  it('sends a seed past 2^53 as the caller wrote it when the endpoint calls the model by another name', async () => {
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: [{ body: { choices: [{ index: 0, message: { content: 'hi' }, finish_reason: 'stop' }] } }] });
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', models: { 'gpt-4.1': 'openai/gpt-4.1' } }] }, { transport, clock, sleep: clock.sleep });
    const body = '{"model":"gpt-4.1","messages":[],"seed":9223372036854775807,"max_completion_tokens":9007199254740993}';
    await router.send({ method: 'POST', path: '/chat/completions', headers: { 'content-type': 'application/json' }, body });
    expect(requestText(transport.calls[0]!.request)).toBe('{"model":"openai/gpt-4.1","messages":[],"seed":9223372036854775807,"max_completion_tokens":9007199254740993}');
  });
});

describe('the fourteenth attack: usage asked for when the caller set other stream_options', () => {
  const withUsage = ['{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}', '{"choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":100,"total_tokens":1100}}', '[DONE]'];
  const setupInject = () => {
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: [{ events: withUsage }] });
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], streamUsage: 'inject' }, { transport, clock, sleep: clock.sleep });
    const seen: { type: string }[] = [];
    router.subscribe((event) => seen.push(event));
    return { transport, router, seen };
  };
  const readAll = async (stream: AsyncIterable<Uint8Array>) => {
    let text = '';
    for await (const chunk of stream) text += new TextDecoder().decode(chunk);
    return text;
  };

  it.each([
    ['{"include_obfuscation":false}', '{"include_usage":true,"include_obfuscation":false}'],
    ['{ }', '{"include_usage":true }'],
  ])('adds include_usage to the caller\'s stream_options %s, prices the stream by it and hides the usage event', async (options, sent) => {
    const { router, transport, seen } = setupInject();
    const body = `{"model":"gpt-4.1","stream":true,"seed":9223372036854775807,"messages":[],"stream_options":${options}}`;
    const result = await router.send({ method: 'POST', path: '/chat/completions', headers: { 'content-type': 'application/json' }, body });
    const text = await readAll(result.stream!);
    expect(requestText(transport.calls[0]!.request)).toBe(`{"model":"gpt-4.1","stream":true,"seed":9223372036854775807,"messages":[],"stream_options":${sent}}`);
    expect(text).not.toContain('usage');
    expect(seen.find((event) => event.type === 'cost-record')).toMatchObject({ estimated: false });
  });

  it('respects a caller who said include_usage either way (guards what held)', async () => {
    const { router, transport } = setupInject();
    const body = '{"model":"gpt-4.1","stream":true,"messages":[],"stream_options":{"include_usage":false}}';
    await readAll((await router.send({ method: 'POST', path: '/chat/completions', body })).stream!);
    expect(requestText(transport.calls[0]!.request)).toBe(body);
  });
});

describe('the fourteenth attack: background responses are priced when they finish, once', () => {
  const response = (status: string, extra: Record<string, unknown> = {}) => ({
    id: 'resp_bg1', object: 'response', background: true, model: 'o3-2025-04-16', status, output: [], usage: null, ...extra,
  });
  const finished = response('completed', { usage: { input_tokens: 100, output_tokens: 20_000, total_tokens: 20_100 } });
  const costRecords = (seen: { type: string }[]) => seen.filter((event) => event.type === 'cost-record') as unknown as { model: string; costUsd: number; usage: { outputTokens: number } }[];
  const routerWith = (script: EndpointScript) => {
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: script });
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }] }, { transport, clock, sleep: clock.sleep });
    const seen: { type: string }[] = [];
    router.subscribe((event) => seen.push(event));
    return { router, seen };
  };

  it('prices nothing for the queued answer, nothing while it runs, then its usage once when a retrieval sees it finished', async () => {
    const { router, seen } = routerWith([{ body: response('queued') }, { body: response('in_progress') }, { body: finished }, { body: finished }]);
    const created = await router.send({ method: 'POST', path: '/responses', body: JSON.stringify({ model: 'o3', input: 'think', background: true }) });
    expect(created.costUsd).toBeUndefined();
    for (let poll = 0; poll < 3; poll += 1) await router.send({ method: 'GET', path: '/responses/resp_bg1' });
    const records = costRecords(seen);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ model: 'o3-2025-04-16', usage: expect.objectContaining({ outputTokens: 20_000 }) });
    expect(records[0]!.costUsd).toBeGreaterThan(0.1);
  });

  it('prices a resumed stream of it by its response.completed, and a retrieval after that not again', async () => {
    const events = [
      JSON.stringify({ type: 'response.output_text.delta', delta: 'done', sequence_number: 9 }),
      JSON.stringify({ type: 'response.completed', response: finished, sequence_number: 10 }),
    ];
    // The first GET of an id this router has not served looks it up first (a JSON retrieval): never priced.
    const { router, seen } = routerWith((request) => (request.url.includes('stream=true') ? { events } : { body: finished }));
    const resumed = await router.send({ method: 'GET', path: '/responses/resp_bg1?stream=true&starting_after=8' });
    for await (const _ of resumed.stream!) void _;
    await router.send({ method: 'GET', path: '/responses/resp_bg1' });
    expect(costRecords(seen)).toHaveLength(1);
    expect(costRecords(seen)[0]).toMatchObject({ model: 'o3-2025-04-16' });
  });

  it('never prices the retrieval of a response that was not in the background (guards what held)', async () => {
    const { router, seen } = routerWith([{ body: { ...finished, background: false } }]);
    await router.send({ method: 'GET', path: '/responses/resp_bg1' });
    expect(costRecords(seen)).toHaveLength(0);
  });
});

describe('the fourteenth attack: a model name is bounded in length, not only in count', () => {
  it('refuses a model name over 256 characters with invalid_model (400), before any upstream is asked', async () => {
    const { fetch, transport } = setup({ a: [{ body: { choices: [] } }] });
    const response = await fetch('https://detour/v1/chat/completions', post({ model: 'm'.repeat(100_000), messages: [] }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_model', message: 'The model name is 100000 characters long; the limit is 256.' } });
    expect(transport.calls).toHaveLength(0);
    const fits = await fetch('https://detour/v1/chat/completions', post({ model: 'm'.repeat(256), messages: [] }));
    expect(fits.status).toBe(200);
  });
});

describe('the fourteenth attack: upstreams that misbehave at random (the fuzzer)', () => {
  const answer = { id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] };

  it('fails over a 200 whose body is an error in Anthropic\'s envelope, by the status its type stands for', async () => {
    const overloaded = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded, key sk-a' } };
    const { router } = setup({ a: [{ body: overloaded }], b: [{ body: answer }] });
    const served = await router.send({ method: 'POST', path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) });
    expect(served.endpoint).toBe('b');
    expect(served.attempts[0]).toMatchObject({ endpoint: 'a', status: 529 });
  });

  it('keeps a chat stream whose every choice finished when the connection breaks after it, as a clean close would', async () => {
    const finished = JSON.stringify({ choices: [{ index: 0, delta: { content: 'whole' }, finish_reason: 'stop' }] });
    const { fetch } = setup({ a: [{ events: [finished], cut: { afterEvents: 1, mode: 'error' } }] }, { rescue: 'off' });
    const response = await fetch('https://detour/v1/chat/completions', post({ model: 'gpt-4.1', messages: [], stream: true }));
    const text = await response.text();
    expect(text).toContain('whole');
    expect(text).not.toContain('stream_interrupted');
  });

  it('labels a JSON route\'s answer application/json once it is proven an object, whatever the upstream called it', async () => {
    const { fetch } = setup({ a: [{ body: answer, headers: { 'content-type': 'text/plain' } }] });
    const response = await fetch('https://detour/v1/chat/completions', post({ model: 'gpt-4.1', messages: [] }));
    expect(response.headers.get('content-type')).toBe('application/json');
    expect((await response.json()).choices[0].message.content).toBe('hi');
  });
});

describe('the fourteenth attack: foreign streams, after the second review', () => {
  it('fails a foreign stream whose event carries an error, and reads a chunk that names itself a chat chunk as chat', async () => {
    const failed = setup({ a: [{ events: [JSON.stringify({ type: 'speech.audio.delta', audio: 'AA' }), JSON.stringify({ type: 'speech.audio.failed', error: { message: 'boom' } })] }] });
    const first = await failed.fetch('https://detour/v1/audio/speech', post({ model: 'tts', input: 'hi', stream_format: 'sse' }));
    await expect(first.text()).rejects.toThrow();
    const typedChat = setup({ a: [{ events: [JSON.stringify({ type: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] })] }] }, { rescue: 'off' });
    const served = await typedChat.router.send({ method: 'POST', path: '/openai/deployments/x/chat/completions', body: JSON.stringify({ messages: [], stream: true }) });
    const read = async () => {
      for await (const _ of served.stream!) void _;
    };
    await expect(read()).rejects.toThrow(/terminating event/);
  });
});
