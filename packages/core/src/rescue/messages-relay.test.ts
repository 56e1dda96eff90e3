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
