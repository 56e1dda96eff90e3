import { describe, expect, it } from 'vitest';
import { createDetourFetch } from '../fetch/create-detour-fetch';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { createScriptedTransport, type EndpointScript } from '../testing/scripted-transport';
import { createRouter } from './router';

// What the fifteenth attack (docs/attacks/fifteenth) found. Each test here failed on the code before its fix.
// Endpoint `a` is the preferred tier, `b` the backup.

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}, provider?: 'anthropic') => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const endpoints = Object.keys(scripts).map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1`, priority, provider }));
  const router = createRouter({ endpoints, ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  return { transport, router, clock, fetch: createDetourFetch(router) };
};

const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the fifteenth attack: a Messages stream that lost only message_stop', () => {
  const events = [
    { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: 9, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello world.' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } },
  ].map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  const request = post({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }], stream: true });

  it.each(['close', 'error'] as const)('ends whole after its stop_reason (a %s), owed its message_stop, and asks no backup', async (mode) => {
    const cut = mode === 'close' ? {} : { cut: { afterEvents: events.length, mode } };
    const { fetch, transport } = setup({ a: [{ events, ...cut }], b: [{ events }] }, {}, 'anthropic');
    const response = await fetch('https://detour/v1/messages', request);
    const text = await response.text();
    expect(text).toContain('Hello world.');
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
    expect(text.match(/message_stop/g)).toHaveLength(2);
    expect(transport.callsTo('b')).toHaveLength(0);
  });

  it('owes nothing to a stream that sent its own message_stop, and still fails one whose error came after the stop_reason', async () => {
    const stop = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    const whole = await setup({ a: [{ events: [...events, stop] }] }, {}, 'anthropic').fetch('https://detour/v1/messages', request);
    expect((await whole.text()).match(/message_stop/g)).toHaveLength(2);
    const error = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    const failed = await setup({ a: [{ events: [...events, error] }] }, { rescue: 'off' }, 'anthropic').fetch('https://detour/v1/messages', request);
    await expect(failed.text()).rejects.toThrow();
  });
});

describe('the fifteenth attack: the stored-response routes answer JSON', () => {
  const key = 'sk-a-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1';

  it.each([
    ['GET', '/responses/resp_1'], ['GET', '/responses/resp_1/input_items'], ['POST', '/responses/resp_1/cancel'],
    ['DELETE', '/responses/resp_1'], ['POST', '/responses/input_tokens'],
  ])('refuses a 200 page on %s %s, its key unseen', async (method, path) => {
    const page = { headers: { 'content-type': 'text/html' }, body: `<h1>bad gateway for ${key}</h1>` };
    const { fetch } = setup({ a: [page] });
    const response = await fetch(`https://detour/v1${path}`, { method });
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain('Zx9Qw7Lm');
  });

  it('labels a stored response mislabelled text/plain as JSON, streams a retrieval asked with stream=true, and takes a 204 to a DELETE', async () => {
    const stored = JSON.stringify({ id: 'resp_1', object: 'response', status: 'completed', output: [] });
    const { fetch } = setup({
      a: (request) => (request.method === 'DELETE' ? { status: 204 } : request.url.includes('stream=true')
        ? { events: [JSON.stringify({ type: 'response.completed', response: { id: 'resp_1', status: 'completed' } })] }
        : { headers: { 'content-type': 'text/plain' }, body: stored }),
    });
    const retrieved = await fetch('https://detour/v1/responses/resp_1', { method: 'GET' });
    expect(retrieved.headers.get('content-type')).toBe('application/json');
    expect((await retrieved.json()).id).toBe('resp_1');
    const streamed = await fetch('https://detour/v1/responses/resp_1?stream=true', { method: 'GET' });
    expect(await streamed.text()).toContain('response.completed');
    expect((await fetch('https://detour/v1/responses/resp_1', { method: 'DELETE' })).status).toBe(204);
  });
});

describe('the fifteenth attack: a Messages stream without its message_start', () => {
  it('fails over before the first byte when the stream opens with a block, not message_start', async () => {
    const event = (body: Record<string, unknown>) => `event: ${String(body.type)}\ndata: ${JSON.stringify(body)}\n\n`;
    const headless = [
      event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'orphan' } }),
      event({ type: 'content_block_stop', index: 0 }),
      event({ type: 'message_stop' }),
    ];
    const whole = [
      event({ type: 'message_start', message: { id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: 9, output_tokens: 1 } } }),
      ...headless,
    ];
    const { fetch, transport } = setup({ a: [{ events: headless }], b: [{ events: whole }] }, {}, 'anthropic');
    const response = await fetch('https://detour/v1/messages', post({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [], stream: true }));
    const text = await response.text();
    expect(text).toContain('msg_2');
    expect(transport.callsTo('b')).toHaveLength(1);
  });
});

describe('the fifteenth attack: weights', () => {
  it('refuses a weight over 1,000,000, naming it: weights of 1e308 overflowed their sum and one endpoint took every request', () => {
    const endpoints = [{ name: 'a', baseUrl: 'https://a.example/v1', weight: 1e308 }, { name: 'b', baseUrl: 'https://b.example/v1' }];
    expect(() => createRouter({ endpoints } as RouterOptionsInput, { transport: createScriptedTransport({}) })).toThrow(/endpoints\[0\]\.weight.*at most 1000000/s);
  });
});
