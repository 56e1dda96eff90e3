import { describe, expect, it } from 'vitest';
import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { RouterOptionsInput } from '../options/router-options-schema';
import {
  messageContent,
  messageEnd,
  messageInputUsage,
  messageStart,
  messagesStream,
  overloadedEvent,
  responsesDeltas,
  responsesHead,
  responsesStream,
  responsesTail,
  responsesUsage as responsesTailUsage,
} from '../streaming/__fixtures__/streams';
import { createFakeClock } from '../testing/fake-clock';
import { createScriptedTransport, type EndpointScript } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// Each test stream is one chunk per event, split where the fixtures join their events.
const events = (text: string) => text.split(/(?<=\n\n)/);

const setup = (scripts: Record<string, EndpointScript>, provider?: string) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const endpoints = Object.keys(scripts).map((name) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, ...(provider ? { provider } : {}) }));
  const router = createRouter({ endpoints } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  const seen: RouterEvent[] = [];
  router.subscribe((event) => seen.push(event));
  return { router, seen };
};

const request = (path: string, model: string) => ({
  path,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model, stream: true, input: 'hello', messages: [{ role: 'user', content: 'hello' }], max_tokens: 50 }),
});

const readAll = async (stream: AsyncIterable<Uint8Array>) => {
  let text = '';
  for await (const chunk of stream) text += new TextDecoder().decode(chunk);
  return text;
};

const costRecord = (seen: RouterEvent[]) => seen.find((event) => event.type === 'cost-record') as Extract<RouterEvent, { type: 'cost-record' }> | undefined;

describe('streams in the Responses grammar', () => {
  it('ends cleanly on response.completed and prices its usage, cached and reasoning tokens included', async () => {
    const { router, seen } = setup({ a: [{ events: events(responsesStream()) }] });
    const result = await router.send(request('/responses', 'gpt-5.1'));
    expect(await readAll(result.stream!)).toContain('response.completed');
    // 1,000 prompt tokens (400 cached) and 300 output tokens at $1.25 / $0.125 / $10 per million.
    expect(costRecord(seen)).toMatchObject({ outcome: 'success', estimated: false, costUsd: (600 * 1.25 + 400 * 0.125 + 300 * 10) / 1e6 });
  });

  it('raises on response.failed after the first event, and on a close before the terminal event', async () => {
    const failed = setup({ a: [{ events: events([...responsesHead(), ...responsesTail('failed', { error: { code: 'server_error' } })].join('')) }] });
    const stream = (await failed.router.send(request('/responses', 'gpt-5.1'))).stream!;
    await expect(readAll(stream)).rejects.toBeInstanceOf(StreamInterruptedError);
    const closed = setup({ a: [{ events: events([...responsesHead(), ...responsesDeltas(['a', 'b'])].join('')) }] });
    await expect(readAll((await closed.router.send(request('/responses', 'gpt-5.1'))).stream!)).rejects.toThrow(/without its terminating event/);
  });

  it(`relays a content filter's response.incomplete as the provider's answer, asking no other endpoint (attack 24)`, async () => {
    const filtered = [...responsesHead(), ...responsesDeltas(['Step 1. ']), ...responsesTail('incomplete', { incomplete_details: { reason: 'content_filter' } })].join('');
    const { router, seen } = setup({ a: [{ events: events(filtered) }], b: [{ events: events(responsesStream().replace('chaos', 'unfiltered')) }] });
    const text = await readAll((await router.send(request('/responses', 'gpt-5.1'))).stream!);
    expect(text).toContain('"reason":"content_filter"');
    expect(text).not.toContain('unfiltered');
    expect(seen.filter((event) => event.type === 'attempt-start').map((event) => event.endpoint)).toEqual(['a']);
  });

  it('raises on response.incomplete for a reason it does not know', async () => {
    const unknown = [...responsesHead(), ...responsesTail('incomplete', { incomplete_details: { reason: 'brand_new' } })].join('');
    const { router } = setup({ a: [{ events: events(unknown) }] });
    await expect(readAll((await router.send(request('/responses', 'gpt-5.1'))).stream!)).rejects.toBeInstanceOf(StreamInterruptedError);
  });

  it('estimates a cut stream from its deltas only, not from its lifecycle events', async () => {
    const cut = [...responsesHead(), ...responsesDeltas(['a', 'b', 'c'])].join('');
    const { router, seen } = setup({ a: [{ events: events(cut) }] });
    await expect(readAll((await router.send(request('/responses', 'gpt-5.1'))).stream!)).rejects.toBeInstanceOf(StreamInterruptedError);
    expect(costRecord(seen)).toMatchObject({ outcome: 'failed', estimated: true, usage: { outputTokens: 3 } });
  });
});

describe('streams in the Anthropic Messages grammar', () => {
  it('ends cleanly on message_stop and prices reads, 5-minute and 1-hour writes and output', async () => {
    const { router, seen } = setup({ a: [{ events: events(messagesStream()) }] }, 'anthropic');
    const result = await router.send(request('/messages', 'claude-sonnet-4-5'));
    expect(await readAll(result.stream!)).toContain('message_stop');
    // 40 fresh, 3,000 read, 1,500 written for 5 minutes, 2,250 for an hour, 8 output, at Sonnet 4.5's prices.
    const expected = (40 * 3 + 3000 * 0.3 + 1500 * 3.75 + 2250 * 6 + 8 * 15) / 1e6;
    expect(costRecord(seen)?.costUsd).toBeCloseTo(expected, 12);
    expect(costRecord(seen)?.usage).toMatchObject({ cacheWriteTokens: 1500, cacheWrite1hTokens: 2250, outputTokens: 8 });
  });

  it('raises on an overloaded_error event mid-stream, and on a close before message_stop', async () => {
    const overloaded = [messageStart(messageInputUsage), ...messageContent(['a', 'b']), overloadedEvent].join('');
    const first = setup({ a: [{ events: events(overloaded) }] }, 'anthropic');
    await expect(readAll((await first.router.send(request('/messages', 'claude-sonnet-4-5'))).stream!)).rejects.toBeInstanceOf(StreamInterruptedError);
    const closed = [messageStart(messageInputUsage), ...messageContent(['a'])].join('');
    const second = setup({ a: [{ events: events(closed) }] }, 'anthropic');
    await expect(readAll((await second.router.send(request('/messages', 'claude-sonnet-4-5'))).stream!)).rejects.toThrow(/without its terminating event/);
    // After the message_delta that gives its stop_reason only message_stop is lost: whole, and owed it.
    const stopped = `${closed}${messageEnd({ output_tokens: 1 })[0]!}`;
    const third = setup({ a: [{ events: events(stopped) }] }, 'anthropic');
    expect(await readAll((await third.router.send(request('/messages', 'claude-sonnet-4-5'))).stream!)).toMatch(/message_stop\ndata: \{"type":"message_stop"\}\n\n$/);
  });

  it(`fails over when the stream's first event is already an error`, async () => {
    const { router } = setup({ a: [{ events: [overloadedEvent] }], b: [{ events: events(messagesStream()) }] }, 'anthropic');
    const result = await router.send(request('/messages', 'claude-sonnet-4-5'));
    expect(result.endpoint).toBe('b');
  });
});

describe('JSON answers of both APIs', () => {
  it('prices an Anthropic message with reads and both write lifetimes, and a response with cached tokens', async () => {
    const usage = { ...messageInputUsage, output_tokens: 8 };
    const message = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', usage };
    const anthropic = setup({ a: [{ body: message }] }, 'anthropic');
    await anthropic.router.send({ ...request('/messages', 'claude-sonnet-4-5'), body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 50, messages: [] }) });
    expect(costRecord(anthropic.seen)?.costUsd).toBeCloseTo((40 * 3 + 3000 * 0.3 + 1500 * 3.75 + 2250 * 6 + 8 * 15) / 1e6, 12);
    const response = { id: 'resp_1', object: 'response', status: 'completed', output: [], usage: responsesTailUsage };
    const openai = setup({ a: [{ body: response }] });
    await openai.router.send({ ...request('/responses', 'gpt-5.1'), body: JSON.stringify({ model: 'gpt-5.1', input: 'hi' }) });
    expect(costRecord(openai.seen)?.costUsd).toBeCloseTo((600 * 1.25 + 400 * 0.125 + 300 * 10) / 1e6, 12);
  });
});
