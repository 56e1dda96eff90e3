import { describe, expect, it, vi } from 'vitest';
import { settledWithin, tracingFlushBoundMs } from '../src/node/setup-tracing';

// A collector that is down or hangs held the gateway's exit for the OTLP exporter's 10 s (attack 21, tracing T4).
describe('the exit waits for spans at most tracingFlushBoundMs', () => {
  it('lets go when the flush never settles, and at once when it does, failed or not', async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const waiting = settledWithin(new Promise(() => undefined), tracingFlushBoundMs).then((settled) => {
        done = true;
        return settled;
      });
      await vi.advanceTimersByTimeAsync(tracingFlushBoundMs - 1);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await waiting).toBe(false);
      expect(done).toBe(true);
      await expect(settledWithin(Promise.reject(new Error('collector refused')), tracingFlushBoundMs)).resolves.toBe(true);
      await expect(settledWithin(Promise.resolve(), tracingFlushBoundMs)).resolves.toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
