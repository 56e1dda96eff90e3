import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { relayStream } from './relay-stream';

/** A response whose buffer is always full: every write asks the relay to wait for `drain`. */
const fullResponse = () => Object.assign(new EventEmitter(), { destroyed: false, write: () => false, end: () => undefined }) as unknown as ServerResponse;

/** A stream that never ends, counting its reads. */
const endless = () => {
  const stream = {
    reads: 0,
    next: async () => {
      stream.reads += 1;
      return { done: false as const, value: new Uint8Array(1) };
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
};

afterEach(() => {
  vi.useRealTimers();
});

describe('relayStream', () => {
  it('looks again only once the router has had time to settle an unread stream (idle bound + 1 s)', async () => {
    vi.useFakeTimers();
    const stream = endless();
    relayStream(stream as unknown as AsyncIterableIterator<Uint8Array>, fullResponse(), 5000);
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.reads).toBe(1);
    await vi.advanceTimersByTimeAsync(5999);
    expect(stream.reads).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(stream.reads).toBe(2);
  });

  it('keeps its look within a timer Node can hold when the idle bound is near 2^31 ms (the review)', async () => {
    // Past 2^31 − 1 ms Node runs a timer after 1 ms: the relay read a millisecond and back-pressure was gone.
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const stream = endless();
    const response = fullResponse();
    relayStream(stream as unknown as AsyncIterableIterator<Uint8Array>, response, 2 ** 31 - 1);
    await vi.waitFor(() => expect(timeouts).toHaveBeenCalled());
    expect(timeouts.mock.calls.every(([, delay]) => (delay ?? 0) <= 2 ** 31 - 1)).toBe(true);
    response.emit('close');
    timeouts.mockRestore();
  });
});
