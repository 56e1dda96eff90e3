import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { createScriptedTransport, type EndpointScript, requestText } from '../testing/scripted-transport';
import { createRouter } from './router';
import { refusalHeldMs, withoutAddedUsage } from './stream-options-refusal';

const events = ['{"choices":[{"delta":{"content":"Bonjour"},"finish_reason":"stop"}]}', '[DONE]'];
// What Mistral answers a body with a field it does not know.
const extraInputs = {
  status: 422,
  body: { object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted' }] }, type: 'invalid_request_message_error' },
};

const setup = (scripts: Record<string, EndpointScript>, endpoints: Record<string, Record<string, unknown>> = {}, options: Partial<RouterOptionsInput> = {}) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter(
    {
      endpoints: Object.keys(scripts).map((name) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}-0123456789`, ...endpoints[name] })),
      streamUsage: 'inject',
      ...options,
    } as RouterOptionsInput,
    { transport, clock, sleep: clock.sleep, random: () => 0.5 },
  );
  return { transport, router, clock };
};

const readAll = async (stream: AsyncIterable<Uint8Array>) => {
  let text = '';
  for await (const chunk of stream) text += new TextDecoder().decode(chunk);
  return text;
};

const streamed = (extra: Record<string, unknown> = {}) => ({
  path: '/chat/completions',
  body: JSON.stringify({ model: 'mistral-small-latest', stream: true, messages: [{ role: 'user', content: 'hi' }], ...extra }),
});

describe('stream_options an endpoint refuses', () => {
  it('never sends Mistral the stream_options Detour would add', async () => {
    const { router, transport } = setup({ a: [{ events }] }, { a: { provider: 'mistral' } });
    const request = streamed();
    const result = await router.send(request);
    expect(await readAll(result.stream!)).toContain('Bonjour');
    expect(requestText(transport.calls[0]!.request)).toBe(request.body);
  });

  it('sends Mistral the caller’s own stream_options, renamed model and all', async () => {
    const { router, transport } = setup({ a: [{ events }] }, { a: { provider: 'mistral', models: { small: 'mistral-small-latest' } } });
    const result = await router.send({ path: '/chat/completions', body: '{"model":"small","stream":true,"messages":[]}' });
    await readAll(result.stream!);
    expect(requestText(transport.calls[0]!.request)).toBe('{"model":"mistral-small-latest","stream":true,"messages":[]}');
  });

  it('asks an endpoint that refuses the field again without it, and remembers', async () => {
    const { router, transport } = setup({ a: [extraInputs, { events }, { events }] });
    const first = await router.send(streamed());
    expect(first.endpoint).toBe('a');
    expect(await readAll(first.stream!)).toContain('Bonjour');
    const sent = transport.calls.map((call) => JSON.parse(requestText(call.request)) as Record<string, unknown>);
    expect(sent[0]!.stream_options).toEqual({ include_usage: true });
    expect(sent[1]!.stream_options).toBeUndefined();
    // Learned: the next request goes without it at once.
    await readAll((await router.send(streamed())).stream!);
    expect(transport.calls).toHaveLength(3);
    expect(JSON.parse(requestText(transport.calls[2]!.request)).stream_options).toBeUndefined();
  });

  it('asks for usage again an hour after it learned the refusal: a server that was upgraded is priced again (attack 24)', async () => {
    const { router, transport, clock } = setup({ a: [extraInputs, { events }, { events }, { events }] });
    await readAll((await router.send(streamed())).stream!);
    clock.advance(refusalHeldMs - 1);
    await readAll((await router.send(streamed())).stream!);
    clock.advance(1);
    await readAll((await router.send(streamed())).stream!);
    const sent = transport.calls.map((call) => (JSON.parse(requestText(call.request)) as Record<string, unknown>).stream_options);
    expect(sent).toEqual([{ include_usage: true }, undefined, undefined, { include_usage: true }]);
  });

  it('relays the refusal of stream_options the caller sent itself: the caller’s error to fix', async () => {
    const { router, transport } = setup({ a: [extraInputs, { events }] });
    await expect(router.send(streamed({ stream_options: { include_usage: true } }))).rejects.toMatchObject({ lastResponse: { status: 422 } });
    expect(transport.calls).toHaveLength(1);
  });

  it('asks again once only: a second refusal without the field is the caller’s', async () => {
    const { router, transport } = setup({ a: [extraInputs, { ...extraInputs }, { events }] });
    await expect(router.send(streamed({ stream_options: { include_obfuscation: false } }))).rejects.toMatchObject({ lastResponse: { status: 422 } });
    expect(transport.calls).toHaveLength(2);
    expect(JSON.parse(requestText(transport.calls[1]!.request)).stream_options).toEqual({ include_obfuscation: false });
  });

  it('remembers no endpoint over an error that only quotes the caller’s input', async () => {
    // OpenAI's answer to a role it does not know quotes the role: a caller can make any error name the field.
    const badRole = { status: 400, body: { error: { message: "Invalid value: 'stream_options'. Supported values are: 'system', 'user'.", type: 'invalid_request_error', param: 'messages[0].role' } } };
    const { router, transport } = setup({ a: [badRole, { ...badRole }, { events }] });
    await expect(router.send(streamed({ messages: [{ role: 'stream_options', content: 'hi' }] }))).rejects.toMatchObject({ lastResponse: { status: 400 } });
    await readAll((await router.send(streamed())).stream!);
    expect(JSON.parse(requestText(transport.calls[2]!.request)).stream_options).toEqual({ include_usage: true });
  });

  it('asks again without the field even with maxAttempts 1: the refused attempt was Detour’s doing', async () => {
    const { router, transport } = setup({ a: [extraInputs, { events }] }, {}, { maxAttempts: 1 });
    expect(await readAll((await router.send(streamed())).stream!)).toContain('Bonjour');
    expect(transport.calls).toHaveLength(2);
  });

  it('takes out only what Detour added to a continuation body', () => {
    expect(withoutAddedUsage({ model: 'm', stream_options: { include_usage: true } })).toEqual({ model: 'm' });
    expect(withoutAddedUsage({ model: 'm', stream_options: { include_usage: true, include_obfuscation: false } })).toEqual({
      model: 'm', stream_options: { include_obfuscation: false },
    });
    const untouched = { model: 'm' };
    expect(withoutAddedUsage(untouched)).toBe(untouched);
  });
});
