import { describe, expect, it } from 'vitest';
import { createSseWatcher } from './sse-watcher';

const encoder = new TextEncoder();
const feed = (expected: number, ...events: string[]) => {
  const watcher = createSseWatcher(expected);
  for (const event of events) watcher.push(encoder.encode(`data: ${event}\n\n`));
  return watcher;
};

describe('createSseWatcher: finish_reason per choice', () => {
  it('sees a finish_reason written with or without spaces, and ignores null ones', () => {
    expect(feed(1, '{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}').choicesFinished).toBe(false);
    expect(feed(1, '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}').choicesFinished).toBe(true);
    expect(feed(1, '{"choices": [{"index": 0, "delta": {}, "finish_reason" : "length"}]}').choicesFinished).toBe(true);
  });

  it('is not fooled by the words inside the text', () => {
    expect(feed(1, '{"choices":[{"index":0,"delta":{"content":"\\"finish_reason\\":\\"stop\\""},"finish_reason":null}]}').choicesFinished).toBe(false);
  });

  it('needs every one of n choices, each counted once', () => {
    const stop = (index: number) => `{"choices":[{"index":${index},"delta":{},"finish_reason":"stop"}]}`;
    expect(feed(2, stop(0), stop(0)).choicesFinished).toBe(false);
    expect(feed(2, stop(1), stop(0)).choicesFinished).toBe(true);
    expect(feed(2, stop(0)).finished).toBe(false); // not a terminating event: a usage chunk may follow
  });
});
