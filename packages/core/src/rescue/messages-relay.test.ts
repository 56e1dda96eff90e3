import { describe, expect, it } from 'vitest';
import { createDeliveredAnswer } from './delivered-answer';
import { createMessagesRelay } from './messages-relay';
import { ReplayDivergedError } from './replay-diverged-error';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const event = (type: string, payload: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
const text = (delta: string) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: delta } });

describe('the relay of a first Messages answer', () => {
  it('withholds an event that opens a JSON object and does not parse, and everything after it', () => {
    const relay = createMessagesRelay({ mode: 'pass', answer: createDeliveredAnswer(), stripUsage: false });
    const start = event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + text('Hello');
    const broken = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\n\n';
    const out = relay.push(encoder.encode(start + broken + text(' world') + event('message_stop', {})));
    expect(decoder.decode(out)).toBe(start);
    expect(relay.flush()).toBeUndefined();
    expect(relay.upstreamError).toMatch(/^an event that is not valid JSON \(\{"type":"content_block_delta"/);
  });
});

describe('the relay of a Messages rescue segment', () => {
  const segment = (id?: string) => {
    const answer = createDeliveredAnswer();
    if (id !== undefined) answer.id = id;
    const relay = createMessagesRelay({ mode: 'replay', answer, stripUsage: false });
    const start = event('message_start', { message: { id: 'msg_b', model: 'm', content: [] } });
    const out = decoder.decode(relay.push(encoder.encode(start + event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + text('Hi'))));
    return { out, answer };
  };

  it('relays an event with neither a name nor a type as it came, never as `event: undefined` (stop 45)', () => {
    const answer = createDeliveredAnswer();
    answer.id = 'msg_a';
    const relay = createMessagesRelay({ mode: 'continue', answer, stripUsage: false });
    const out = decoder.decode(relay.push(encoder.encode('data: {"note":"x"}\n\n')));
    expect(out).toBe('data: {"note":"x"}\n\n');
  });

  it('drops its message_start when the caller has the first answer\'s', () => {
    expect(segment('msg_a').out).not.toContain('message_start');
  });

  // The first answer's message_start was its unreadable first event: without this one, the caller's SDK would get
  // content with no message ("request ended without sending any chunks").
  it('opens the caller\'s message with its own message_start when the first answer\'s never reached the caller', () => {
    const { out, answer } = segment();
    expect(out.startsWith('event: message_start\n')).toBe(true);
    expect(out).toContain('"text":"Hi"');
    expect(answer.id).toBe('msg_b');
  });
});

describe('a Messages continuation that opens with a tool call (stop 45)', () => {
  it('ends the delivered open text block, then opens the tool call as a block of its own', () => {
    const answer = createDeliveredAnswer();
    const first = event('message_start', { message: { id: 'msg_a', model: 'm', content: [] } }) + event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + text('Let me') + text(' check.');
    createMessagesRelay({ mode: 'pass', answer, stripUsage: false }).push(encoder.encode(first));
    expect(answer.openBlock).toBe(0);
    const relay = createMessagesRelay({ mode: 'continue', answer, stripUsage: false });
    const continuation = [
      event('message_start', { message: { id: 'msg_b', model: 'm', content: [] } }),
      event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} } }),
      event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": "Paris"}' } }),
      event('content_block_stop', { index: 0 }),
      event('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } }),
      event('message_stop', {}),
    ].join('');
    const out = decoder.decode(relay.push(encoder.encode(continuation)) ?? new Uint8Array()) + decoder.decode(relay.flush() ?? new Uint8Array());
    const events = out.split('\n\n').filter(Boolean).map((raw) => JSON.parse(raw.split('\ndata: ')[1]!));
    expect(events.map((one) => `${one.type}${one.index === undefined ? '' : `:${one.index}`}`)).toEqual([
      'content_block_stop:0', 'content_block_start:1', 'content_block_delta:1', 'content_block_stop:1', 'message_delta', 'message_stop',
    ]);
    expect(events[1].content_block.type).toBe('tool_use');
  });
});

// The sixth attack: a replay was matched against the delivered text run together, whatever its blocks.
describe('a Messages replay, matched block by block', () => {
  const start = (index: number) => event('content_block_start', { index, content_block: { type: 'text', text: '' } });
  const delta = (index: number, piece: string) => event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
  const stop = (index: number) => event('content_block_stop', { index });
  const end = event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }) + event('message_stop', {});
  const messageStart = event('message_start', { message: { id: 'msg', model: 'm', content: [] } });

  /** The caller's stream after `delivered` (then a cut) and a replay sending `replayed`; or the replay's error. */
  const rescue = (delivered: string, replayed: string): { out: string } | { error: Error } => {
    const answer = createDeliveredAnswer();
    const first = decoder.decode(createMessagesRelay({ mode: 'pass', answer, stripUsage: false }).push(encoder.encode(messageStart + delivered)));
    try {
      const relay = createMessagesRelay({ mode: 'replay', answer, stripUsage: false });
      return { out: first + decoder.decode(relay.push(encoder.encode(messageStart + replayed))) };
    } catch (error) {
      return { error: error as Error };
    }
  };
  /** What an SDK makes of the caller's stream: each block's text, and whether every block it opened was closed. */
  const blocksOf = (stream: string) => {
    const blocks: { text: string; closed: boolean }[] = [];
    for (const [, data] of stream.matchAll(/^data: (.*)$/gm)) {
      const parsed = JSON.parse(data!) as { type: string; index: number; delta?: { text?: string } };
      if (parsed.type === 'content_block_start') blocks[parsed.index] = { text: '', closed: false };
      if (parsed.type === 'content_block_delta') {
        const block = blocks[parsed.index]!;
        if (block.closed) throw new Error(`text after block ${parsed.index} closed`);
        block.text += parsed.delta?.text ?? '';
      }
      if (parsed.type === 'content_block_stop') {
        if (blocks[parsed.index]!.closed) throw new Error(`block ${parsed.index} closed twice`);
        blocks[parsed.index]!.closed = true;
      }
    }
    return blocks;
  };

  it('refuses a replay that runs two delivered blocks into one, rather than splice it', () => {
    const result = rescue(start(0) + delta(0, 'Hello there. ') + stop(0) + start(1) + delta(1, 'Sec'), start(0) + delta(0, 'Hello there. Second block here.') + stop(0) + end);
    expect('error' in result && result.error).toBeInstanceOf(ReplayDivergedError);
  });

  it('refuses a replay that goes on past the end of a block the caller saw end', () => {
    const result = rescue(start(0) + delta(0, 'Let me check. ') + stop(0), start(0) + delta(0, 'Let me check. ') + delta(0, 'And then some more words.') + stop(0) + end);
    expect('error' in result && result.error.message).toMatch(/went on past the end of block 0/);
  });

  it('finishes the answer from an identical replay of two text blocks, each block closed once', () => {
    const replayed = start(0) + delta(0, 'Hello ') + delta(0, 'there. ') + stop(0) + start(1) + delta(1, 'Second ') + delta(1, 'block here.') + stop(1) + end;
    const result = rescue(start(0) + delta(0, 'Hello there. ') + stop(0) + start(1) + delta(1, 'Sec'), replayed);
    expect('out' in result).toBe(true);
    if ('out' in result) expect(blocksOf(result.out)).toEqual([{ text: 'Hello there. ', closed: true }, { text: 'Second block here.', closed: true }]);
  });

  it('relays a replay\'s blocks past the delivered ones as they come, after closing the delivered open block', () => {
    const replayed = start(0) + delta(0, 'Hi, and more') + stop(0) + start(1) + delta(1, 'Another block.') + stop(1) + end;
    const result = rescue(start(0) + delta(0, 'Hi'), replayed);
    expect('out' in result && blocksOf(result.out)).toEqual([{ text: 'Hi, and more', closed: true }, { text: 'Another block.', closed: true }]);
  });

  it('refuses a replay that opens a tool_use block where the caller has text, or stops short', () => {
    const tool = event('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 't', name: 'f', input: {} } });
    const delivered = start(0) + delta(0, 'A. ') + stop(0) + start(1) + delta(1, 'B');
    const other = rescue(delivered, start(0) + delta(0, 'A. ') + stop(0) + tool);
    expect('error' in other && other.error.message).toMatch(/opened a tool_use block/);
    const short = rescue(delivered, start(0) + delta(0, 'A. ') + stop(0) + end);
    expect('error' in short && short.error.message).toMatch(/finished before repeating/);
  });
});

// The ninth attack: a continuation's restated prompt still held the delivered prefix, counted as output too.
describe('a Messages continuation, its usage', () => {
  it('moves the delivered prefix from the restated prompt to the output, so the total stays the answer\'s', () => {
    const answer = createDeliveredAnswer();
    const first = event('message_start', { message: { id: 'msg_a', model: 'm', content: [], usage: { input_tokens: 1000, output_tokens: 1 } } });
    const delivered = 'The delivered part of the answer, long enough to be continued';
    createMessagesRelay({ mode: 'pass', answer, stripUsage: false }).push(encoder.encode(first + event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + text(delivered)));
    const relay = createMessagesRelay({ mode: 'continue', answer, stripUsage: false, prefixTokens: 20 });
    const start = event('message_start', { message: { id: 'msg_b', model: 'm', content: [], usage: { input_tokens: 1020, output_tokens: 1 } } });
    const out = decoder.decode(relay.push(encoder.encode(start + event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + text(' more') + event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 1020, output_tokens: 40 } }))));
    const delta = out.split('\n').find((line) => line.includes('"message_delta"'))!;
    expect(JSON.parse(delta.slice('data: '.length)).usage).toEqual({ input_tokens: 1000, output_tokens: 60 });
  });
});
