import { describe, expect, it } from 'vitest';
import { createDeliveredAnswer } from './delivered-answer';
import { createMessagesRelay } from './messages-relay';

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
