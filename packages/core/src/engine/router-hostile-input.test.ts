import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, requestText } from '../testing/scripted-transport';
import { createRouter } from './router';

const apiKey = 'sk-proj-AbCdEf0123456789';
const setup = (scripts: Record<string, EndpointScript>, extra: Partial<RouterOptionsInput> = {}) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter(
    { endpoints: Object.keys(scripts).map((name) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey })), ...extra } as RouterOptionsInput,
    { transport, clock, sleep: clock.sleep, random: () => 0.5 },
  );
  return { clock, transport, router };
};
const chat = (model: string) => ({ path: '/chat/completions', body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });

describe('router, with caller-controlled names that are JavaScript object properties', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('routes the model "%s" like any other', async (model) => {
    const { router } = setup({ any: [{ body: chatCompletion('ok') }] });
    const result = await router.send(chat(model));
    expect(result.status).toBe(200);
  });

  it('cools "__proto__" as an ordinary model, without touching other models', async () => {
    const limited = { status: 429, headers: { 'retry-after': '5' }, body: { error: { message: 'slow down', code: 'rate_limit_exceeded' } } };
    const { router } = setup({ any: (request) => (requestText(request).includes('__proto__') ? limited : { body: chatCompletion('ok') }) });
    await expect(router.send(chat('__proto__'))).rejects.toThrow();
    const [health] = await router.health();
    expect(Object.keys(health!.modelCooldowns)).toEqual(['__proto__']);
    expect((await router.send(chat('gpt-4.1'))).status).toBe(200);
  });
});

describe('router, with an upstream that echoes its key', () => {
  it('never stores or shows the key in an endpoint reason, raw or encoded', async () => {
    const { router } = setup({
      only: [{ status: 401, body: { error: { message: 'bad key', code: `key_${apiKey}_rejected` } } }],
    });
    await expect(router.send(chat('gpt-4.1'))).rejects.toThrow();
    const [health] = await router.health();
    expect(health!.reason).toContain('[redacted]');
    expect(JSON.stringify(health)).not.toContain(apiKey);
  });

  it('takes the key out of a 200 answer that echoes the request (a relay or debugging proxy), usage still read', async () => {
    const echoed = { ...chatCompletion(`you sent Authorization: Bearer ${apiKey}`), debug: { authorization: `Bearer ${apiKey}` } };
    const { router } = setup({ only: [{ body: echoed }] });
    const result = await router.send(chat('gpt-4.1'));
    const text = new TextDecoder().decode(result.body);
    expect(text).not.toContain(apiKey);
    expect(JSON.parse(text)).toMatchObject({ debug: { authorization: 'Bearer [redacted]' }, choices: [{ message: { content: 'you sent Authorization: Bearer [redacted]' } }] });
    expect(result.usage).toMatchObject({ inputTokens: 10, outputTokens: 5 });
  });

  it('takes the key out of a text answer that echoes it', async () => {
    const { router } = setup({ only: [{ headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `transcript: ${apiKey}` }] });
    const result = await router.send({ path: '/audio/transcriptions', body: JSON.stringify({ model: 'whisper-1' }) });
    expect(new TextDecoder().decode(result.body)).toBe('transcript: [redacted]');
  });

  it('takes the key out of a stream chunk that echoes it, the rest of the chunk as sent', async () => {
    const chunk = JSON.stringify({ choices: [{ index: 0, delta: { content: `key ${apiKey}` }, finish_reason: 'stop' }] });
    const { router } = setup({ only: [{ events: [chunk, '[DONE]'] }] });
    const result = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [] }) });
    let text = '';
    for await (const piece of result.stream!) text += new TextDecoder().decode(piece);
    expect(text).toBe(`data: ${chunk.replace(apiKey, '[redacted]')}\n\ndata: [DONE]\n\n`);
  });

  it('prunes per-model cooldowns that have run out from its health view', async () => {
    const limited = { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down', code: 'rate_limit_exceeded' } } };
    const { router, clock } = setup({ only: [limited] });
    for (let index = 0; index < 300; index += 1) await router.send(chat(`model-${index}`)).catch(() => undefined);
    let [health] = await router.health();
    expect(Object.keys(health!.modelCooldowns).length).toBeLessThanOrEqual(256);
    clock.advance(5000);
    [health] = await router.health();
    expect(Object.keys(health!.modelCooldowns)).toEqual([]);
  });
});

describe('router, with an absurd server delay', () => {
  it('cools a model for at most the believed cap, not a day', async () => {
    const limited = { status: 429, headers: { 'retry-after': '999999999' }, body: { error: { message: 'slow down', code: 'rate_limit_exceeded' } } };
    const { router, clock } = setup({ only: [limited] });
    const error = (await router.send(chat('gpt-4.1')).then(() => ({}), (caught: unknown) => caught)) as { retryAfterMs?: number };
    const [health] = await router.health();
    const until = health!.modelCooldowns['gpt-4.1']!;
    expect(until - clock.now()).toBeLessThanOrEqual(15 * 60_000 * 1.1);
    expect(until - clock.now()).toBeGreaterThanOrEqual(15 * 60_000);
    expect(error.retryAfterMs ?? 0).toBeLessThanOrEqual(15 * 60_000 * 1.1);
  });
});

describe('router, with endpoint headers spelled in capitals', () => {
  it('replaces the caller\'s header of the same name instead of sending both', async () => {
    const seen: Record<string, string>[] = [];
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: (request) => (seen.push({ ...request.headers }), { body: chatCompletion('ok') }) }, { now: clock.now });
    const endpoint = { name: 'a', baseUrl: 'https://a.example/v1', apiKey, headers: { 'OpenAI-Organization': 'org-B', 'Content-Type': 'application/json; charset=utf-8', __proto__x: '1' } };
    const router = createRouter({ endpoints: [endpoint] } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
    await router.send({ ...chat('gpt-4.1'), headers: { 'openai-organization': 'org-A', 'content-type': 'application/json' } });
    expect(seen[0]).toMatchObject({ 'openai-organization': 'org-B', 'content-type': 'application/json; charset=utf-8', __proto__x: '1' });
    expect(Object.keys(seen[0]!).filter((name) => name.toLowerCase() === 'openai-organization')).toEqual(['openai-organization']);
    expect(router.options.endpoints[0]!.headers).toEqual({ 'openai-organization': 'org-B', 'content-type': 'application/json; charset=utf-8', __proto__x: '1' });
  });

  it('refuses a header named twice in two spellings', () => {
    const build = (headers: Record<string, string>) => () => createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', headers }] }, { transport: createScriptedTransport({}) });
    expect(build({ 'X-Title': 'one', 'x-title': 'two' })).toThrow(/endpoints\[0\]\.headers: name each header once \(header names ignore case\)/);
    expect(Object.keys(build({ 'HTTP-Referer': 'https://app.example', 'X-Title': 'app' })().options.endpoints[0]!.headers!)).toEqual(['http-referer', 'x-title']);
  });
});

describe('router, with an upstream whose mid-stream error event quotes its key', () => {
  const read = async (stream: AsyncIterableIterator<Uint8Array>) => {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
    } catch {
      // The cut is thrown after the bytes; what matters here is what was delivered.
    }
    return text;
  };

  it.each([
    ['chat', '/chat/completions', [`{"choices":[{"index":0,"delta":{"content":"Hel"}}]}`, `{"error":{"message":"failed for Bearer ${apiKey}","type":"server_error"}}`]],
    ['Responses', '/responses', [
      `event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1"}}\n\n`,
      `event: response.failed\ndata: {"type":"response.failed","response":{"id":"resp_1","status":"failed","error":{"code":"server_error","message":"key ${apiKey} refused"}}}\n\n`,
    ]],
    ['Messages', '/messages', [
      `event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[]}}\n\n`,
      `event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"overloaded for ${apiKey}"}}\n\n`,
    ]],
  ] as const)('relays the %s error event without the key (rescue off)', async (_api, path, events) => {
    const endpoints = [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey, apis: ['chat', 'responses', 'messages'] as ('chat' | 'responses' | 'messages')[] }];
    const { router } = setup({ a: [{ headers: { 'content-type': 'text/event-stream' }, events: [...events] }] }, { rescue: 'off', endpoints });
    const result = await router.send({ path, body: JSON.stringify({ model: 'm', stream: true, input: 'hi', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 }) });
    const text = await read(result.stream!);
    expect(text).toContain('error');
    expect(text).not.toContain(apiKey);
    expect(text).toContain('[redacted]');
  });
});

describe('router, with an upstream whose stream holds an event no parse can read', () => {
  const endpoints = (...names: string[]) =>
    names.map((name) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey, apis: ['chat', 'responses'] as ('chat' | 'responses')[] }));
  const created = 'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1","status":"in_progress"}}\n\n';
  const delta = (text: string) => `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', delta: text })}\n\n`;
  const completed = 'event: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_1","status":"completed"}}\n\n';
  const cutShort = 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"wo\n\n';

  it('ends a Responses stream interrupted, never cleanly, when one comes mid-answer', async () => {
    const { router } = setup({ a: [{ events: [created, delta('Hel'), cutShort, completed] }] }, { endpoints: endpoints('a') });
    const result = await router.send({ path: '/responses', body: JSON.stringify({ model: 'm', stream: true, input: 'hi' }) });
    const decoder = new TextDecoder();
    let text = '';
    const reading = (async () => {
      for await (const chunk of result.stream!) text += decoder.decode(chunk);
    })();
    await expect(reading).rejects.toThrow(/error event|unreadable/);
    expect(text).toContain('"delta":"Hel"');
  });

  it('fails a chat stream over to the next endpoint when one comes first', async () => {
    const good = JSON.stringify({ choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] });
    const { router, transport } = setup(
      { a: [{ events: ['{"choices":[{"index":0,"delta":{"content":"wo'] }], b: [{ events: [good, '[DONE]'] }] },
      { endpoints: endpoints('a', 'b'), rescue: 'off' },
    );
    const result = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'm', stream: true, messages: [] }) });
    expect(result.endpoint).toBe('b');
    expect(transport.calls.map((call) => call.request.url)).toEqual(['https://a.example/v1/chat/completions', 'https://b.example/v1/chat/completions']);
  });
});
