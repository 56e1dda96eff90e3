import type { CallerSignal } from './caller-signal';
import type { Clock } from './clock';

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export type Sleep = (ms: number, signal?: CallerSignal) => Promise<void>;

/**
 * Builds a {@link Sleep} on a clock. The timer and the abort listener are both removed on either path, so a
 * long-lived gateway does not collect a listener per request.
 */
export const createSleep =
  (clock: Clock): Sleep =>
  (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clock.cancel(handle);
        reject(signal?.reason);
      };
      const handle = clock.schedule(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
