import { describe, expect, it } from 'vitest';
import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import { createFakeClock } from '../testing/fake-clock';
import type { TransportRequest } from '../ports/transport';
import { createScriptedTransport, type EndpointScript, requestText } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// Rescue of Anthropic Messages streams: the same guarantees as chat, in Anthropic's grammar.
const tokens = Array.from({ length: 60 }, (_, index) => (index === 0 ? 'Token0' : ` token${index}`));
const whole = tokens.join('');
const named = (name: string, payload: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...payload })}\n\n`;

/** A streamed message made of `pieces` (one text block), as the Messages API sends it. */
const message = (pieces: readonly string[], id = 'msg_primary', outputTokens = pieces.length) => [
  named('message_start', { message: { id, type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } }),
  named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  named('ping', {}),
  ...pieces.map((text) => named('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
  named('content_block_stop', { index: 0 }),
  named('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokens } }),
  named('message_stop', {}),
];

const lastMessage = (request: TransportRequest) => (JSON.parse(requestText(request)) as { messages: { role: string; content: string }[] }).messages.at(-1)!;

/** Continues a prefilled answer (Anthropic's native prefill), in two-token deltas, or answers whole. */
const prefilling: EndpointScript = (request) => {
  const last = lastMessage(request);
  if (last.role !== 'assistant') return { events: message(tokens, 'msg_backup') };
  const single = whole.slice(last.content.length).split(/(?= )/);
  return { events: message(single.flatMap((piece, index) => (index % 2 === 0 ? [piece + (single[index + 1] ?? '')] : [])), 'msg_backup', single.length) };
};

// Every endpoint here is Anthropic's native API (`provider: 'anthropic'`: it speaks `messages`), declared to continue
// by prefill; one that cannot prefill (Claude 4.6 and later) says `continuation: 'none'`.
const setup = (scripts: Record<string, EndpointScript>, endpoints: Record<string, Record<string, unknown>> = {}, rescue?: 'continue') => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter(
    { endpoints: Object.keys(scripts).map((name) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, provider: 'anthropic' as const, continuation: 'anthropic' as const, ...endpoints[name] })), ...(rescue ? { rescue } : {}) },
    { transport, clock, sleep: clock.sleep, random: () => 0 },
  );
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { router, transport, events };
};

const ask = {
  path: '/messages',
  headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
  body: JSON.stringify({ model: 'claude-x', max_tokens: 1000, stream: true, messages: [{ role: 'user', content: 'count' }] }),
};

const drain = async (stream: AsyncIterableIterator<Uint8Array>) => {
  let raw = '';
  let error: unknown;
  try {
    for await (const piece of stream) raw += new TextDecoder().decode(piece);
  } catch (thrown) {
    error = thrown;
  }
  const events = raw.split('\n\n').filter((event) => event.includes('data: ')).map((event) => JSON.parse(event.slice(event.indexOf('data: ') + 6)) as Record<string, any>);
  const text = events.filter((event) => event.type === 'content_block_delta').map((event) => event.delta.text).join('');
  const count = (type: string) => events.filter((event) => event.type === type).length;
  return { raw, error, events, text, count };
};

const cutAfter = (delivered: number) => ({ events: message(tokens), cut: { afterEvents: 3 + delivered, mode: 'error' as const } });

describe('mid-stream rescue of Anthropic Messages streams', () => {
  it('continues a text answer cut after 40 of 60 tokens with Anthropic\'s prefill, as one message', async () => {
    const { router, transport, events } = setup({ a: [cutAfter(40)], b: prefilling });
    const read = await drain((await router.send(ask)).stream!);
    expect(read.error).toBeUndefined();
    expect(read.text).toBe(whole);
    expect(read.count('message_start')).toBe(1);
    expect(read.events.find((event) => event.type === 'message_start')!.message.id).toBe('msg_primary');
    expect([read.count('content_block_start'), read.count('content_block_stop'), read.count('message_stop')]).toEqual([1, 1, 1]);
    expect(read.events.filter((event) => event.type === 'content_block_delta').every((event) => event.index === 0)).toBe(true);
    // The delivered 40 deltas hold 309 characters: counted at about 4 a token (Anthropic packs several into a delta),
    // 78 tokens, whatever the number of deltas. The continuation's own 20 come on top.
    const delivered = Math.ceil(tokens.slice(0, 40).join('').length / 4);
    expect(read.events.find((event) => event.type === 'message_delta')!.usage).toEqual({ output_tokens: 20 + delivered });
    expect(lastMessage(transport.callsTo('b')[0]!.request)).toEqual({ role: 'assistant', content: tokens.slice(0, 40).join('') });
    expect(JSON.parse(requestText(transport.callsTo('b')[0]!.request)).max_tokens).toBe(1000 - delivered);
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ mode: 'continue', outcome: 'rescued' });
  });

  it('counts what packed deltas delivered by their text, not by how many there were (the twelfth attack)', async () => {
    // Anthropic sends many tokens a delta: two deltas of 100 words were counted as 2 tokens, so the continuation kept
    // almost all of max_tokens and the caller's usage said 2 + the continuation's own.
    const words = ' word'.repeat(100);
    const packed = { events: message([words, words, ' end.']), cut: { afterEvents: 3 + 2, mode: 'error' as const } };
    const rest: EndpointScript = () => ({ events: message([' end.'], 'msg_backup', 2) });
    const { router, transport } = setup({ a: [packed], b: rest });
    const read = await drain((await router.send(ask)).stream!);
    expect(read.text).toBe(`${words}${words} end.`);
    const delivered = Math.ceil((2 * words.length) / 4);
    expect(JSON.parse(requestText(transport.callsTo('b')[0]!.request)).max_tokens).toBe(1000 - delivered);
    expect(read.events.find((event) => event.type === 'message_delta')!.usage).toEqual({ output_tokens: 2 + delivered });
  });

  it('never counts more delivered tokens than the caller\'s max_tokens allowed', async () => {
    // 1,000 characters of short words estimate at 250 tokens; the upstream kept to max_tokens 200, so it sent no more.
    const words = ' word'.repeat(100);
    const packed = { events: message([words, words, ' end.']), cut: { afterEvents: 3 + 2, mode: 'error' as const } };
    const rest: EndpointScript = () => ({ events: message([' end.'], 'msg_backup', 1) });
    // Continuations only: the estimate may be high, so the backup is asked for one token rather than the cut kept.
    const { router, transport } = setup({ a: [packed], b: rest }, {}, 'continue');
    const capped = { ...ask, body: JSON.stringify({ ...JSON.parse(ask.body), max_tokens: 200 }) };
    const read = await drain((await router.send(capped)).stream!);
    expect(JSON.parse(requestText(transport.callsTo('b')[0]!.request)).max_tokens).toBe(1);
    expect(read.events.find((event) => event.type === 'message_delta')!.usage).toEqual({ output_tokens: 1 + 200 });
  });

  it('replays, where it may, an answer that used up max_tokens: no continuation runs past the limit (stop 45)', async () => {
    const words = ' word'.repeat(100);
    const packed = { events: message([words, words, ' end.']), cut: { afterEvents: 3 + 2, mode: 'error' as const } };
    const { router, transport } = setup({ a: [packed], b: [{ events: message([words, words, ' end.'], 'msg_backup') }] });
    const capped = { ...ask, body: JSON.stringify({ ...JSON.parse(ask.body), max_tokens: 200 }) };
    const read = await drain((await router.send(capped)).stream!);
    const asked = JSON.parse(requestText(transport.callsTo('b')[0]!.request));
    expect(asked.max_tokens).toBe(200);
    expect(asked.messages.at(-1).role).toBe('user');
    expect(read.error).toBeUndefined();
    expect(read.text).toBe(words + words + ' end.');
  });

  it('replays on an endpoint that cannot prefill, relaying only the text past the delivered text', async () => {
    const { router } = setup({ a: [cutAfter(40)], b: prefilling }, { b: { continuation: 'none' } });
    const read = await drain((await router.send(ask)).stream!);
    expect(read.error).toBeUndefined();
    expect(read.text).toBe(whole);
    expect([read.count('message_start'), read.count('content_block_start'), read.count('content_block_stop'), read.count('message_stop')]).toEqual([1, 1, 1, 1]);
  });

  it('ends with an Anthropic-shaped error event when the replay diverges', async () => {
    const { router } = setup({ a: [cutAfter(40)], b: [{ events: message([...tokens.slice(0, 10), ' else']) }] }, { b: { continuation: 'none' } });
    const read = await drain((await router.send(ask)).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect(read.text).toBe(tokens.slice(0, 40).join(''));
    expect(read.events.at(-1)).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('A rescue was tried and failed') } });
    expect(read.count('message_stop')).toBe(0);
  });

  it('keeps the original cut\'s error type (overloaded_error) in the error event when the rescue fails', async () => {
    const overloaded = [...message(tokens).slice(0, 3 + 40), named('error', { error: { type: 'overloaded_error', message: 'Overloaded' } })];
    const { router } = setup({ a: [{ events: overloaded }], b: [{ events: message([...tokens.slice(0, 10), ' else']) }] }, { b: { continuation: 'none' } });
    const read = await drain((await router.send(ask)).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect(read.text).toBe(tokens.slice(0, 40).join(''));
    expect(read.count('error')).toBe(1);
    expect(read.events.at(-1)).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: expect.stringContaining('A rescue was tried and failed') } });
  });

  it('fails over from an upstream that only pings: a ping does not commit the stream', async () => {
    const { router, transport } = setup({ a: [{ events: [named('ping', {}), named('ping', {})] }], b: prefilling });
    const read = await drain((await router.send(ask)).stream!);
    expect(read.error).toBeUndefined();
    expect(read.text).toBe(tokens.join(''));
    expect(read.count('ping')).toBe(1);
    expect(transport.callsTo('b')).toHaveLength(1);
  });

  it('relays nothing the upstream sends after its error event: no message_stop before the rescue or the error', async () => {
    const failing = [
      ...message(tokens).slice(0, 3 + 40), named('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
      named('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 40 } }), named('message_stop', {}),
    ];
    const rescued = setup({ a: [{ events: failing }], b: prefilling });
    const whole = await drain((await rescued.router.send(ask)).stream!);
    expect(whole.error).toBeUndefined();
    expect(whole.text).toBe(tokens.join(''));
    expect(whole.count('message_stop')).toBe(1);
    expect(whole.events.at(-1)).toMatchObject({ type: 'message_stop' });
    expect(whole.count('message_delta')).toBe(1);

    const alone = setup({ a: [{ events: failing }] });
    const cut = await drain((await alone.router.send(ask)).stream!);
    expect(cut.count('message_stop')).toBe(0);
    expect(cut.count('message_delta')).toBe(0);
    expect(cut.events.at(-1)).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('relays a fresh answer from a target that ignored the prefill only past the delivered text, as one message', async () => {
    const ignoring: EndpointScript = () => ({ events: message(tokens, 'msg_backup') });
    const { router, transport, events } = setup({ a: [cutAfter(40)], b: ignoring });
    const read = await drain((await router.send(ask)).stream!);
    expect(read.error).toBeUndefined();
    expect(read.text).toBe(whole);
    expect([read.count('message_start'), read.count('content_block_start'), read.count('content_block_stop'), read.count('message_stop')]).toEqual([1, 1, 1, 1]);
    expect(read.events.find((event) => event.type === 'message_start')!.message.id).toBe('msg_primary');
    expect(lastMessage(transport.callsTo('b')[0]!.request)).toEqual({ role: 'assistant', content: tokens.slice(0, 40).join('') });
    expect(events.find((event) => event.type === 'stream-rescue')).toMatchObject({ mode: 'continue', outcome: 'rescued' });
  });

  it('ends with the error event when a target that ignored the prefill starts over and departs from the delivered text', async () => {
    const ignoring: EndpointScript = () => ({ events: message([...tokens.slice(0, 10), ' else'], 'msg_backup') });
    const { router } = setup({ a: [cutAfter(40)], b: ignoring });
    const read = await drain((await router.send(ask)).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect((read.error as StreamInterruptedError).rescue).toMatch(/^the continuation on "b" ignored the prefill and started the answer over/);
    expect(read.text).toBe(tokens.slice(0, 40).join(''));
    expect(read.events.at(-1)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(read.count('message_stop')).toBe(0);
  });

  it('does not rescue an answer that has started a tool use block', async () => {
    const tool = [
      ...message(['Let me look.']).slice(0, 4),
      named('content_block_stop', { index: 0 }),
      named('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} } }),
      named('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"ci' } }),
    ];
    const { router, transport } = setup({ a: [{ events: tool, cut: { afterEvents: 7, mode: 'error' } }], b: prefilling });
    const read = await drain((await router.send(ask)).stream!);
    expect(read.error).toBeInstanceOf(StreamInterruptedError);
    expect(transport.callsTo('b')).toHaveLength(0);
  });
});
