import type { CallerSignal } from '../ports/caller-signal';
import { AttemptTimeoutError } from '../errors/attempt-timeout-error';
import type { Clock } from '../ports/clock';
import { startIdleWatchdog, type IdleWatchdog } from '../streaming/idle-watchdog';
import { concatBytes } from './concat-bytes';
import { isEmitterBody, readEmitterBody } from './read-emitter-body';
import { rejectOnAbort } from './reject-on-abort';

/** Raised when a body outgrows what may be buffered. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The response body exceeds ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * A bound on a body's silence: `stalled` rejects with an `AttemptTimeoutError` ('body_idle') once no bytes came for
 * `idle.ms` (each `watchdog.touch()` starts the silence again). Race reads against it; stop the watchdog after.
 */
export const bodyIdleBound = (idle: { clock: Clock; ms: number }): { readonly stalled: Promise<never>; readonly watchdog: IdleWatchdog } => {
  let rejectIdle!: (error: unknown) => void;
  const stalled = new Promise<never>((_, reject) => (rejectIdle = reject));
  stalled.catch(() => undefined);
  return { stalled, watchdog: startIdleWatchdog(idle.clock, idle.ms, () => rejectIdle(new AttemptTimeoutError('body_idle', idle.ms))) };
};

/**
 * Reads a whole body into one buffer, up to `limit` bytes, failing as soon as `signal` aborts: a transport may be
 * slow to notice an abort mid-body, and a deadline must not wait for it. With `idle`, it also fails with an
 * `AttemptTimeoutError` ('body_idle') once no bytes came for `idle.ms`: headers that arrive with a body that never
 * does must not hold the caller until the deadline. Whitespace keep-alives (some relays pad a slow answer) count
 * as bytes.
 */
export const readBody = async (
  body: AsyncIterable<Uint8Array>,
  limit: number,
  signal: CallerSignal,
  { truncate = false, idle }: { truncate?: boolean; idle?: { clock: Clock; ms: number } | undefined } = {},
): Promise<Uint8Array> => {
  // undici's bodies are Node streams: read them by their events, far cheaper than their async iterator.
  if (isEmitterBody(body)) return readEmitterBody(body, limit, signal, truncate, idle, (bytes) => new BodyTooLargeError(bytes));
  const chunks: Uint8Array[] = [];
  let size = 0;
  const aborted = rejectOnAbort(signal);
  const { stalled, watchdog } = idle ? bodyIdleBound(idle) : { stalled: undefined, watchdog: undefined };
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = iterator.next();
      const result = await (stalled ? Promise.race([next, aborted.promise, stalled]) : Promise.race([next, aborted.promise]));
      if (result.done) break;
      watchdog?.touch();
      const chunk = result.value;
      if (size + chunk.byteLength > limit) {
        if (!truncate) throw new BodyTooLargeError(limit);
        chunks.push(chunk.subarray(0, limit - size));
        size = limit;
        await iterator.return?.();
        break;
      }
      chunks.push(chunk);
      size += chunk.byteLength;
    }
  } finally {
    watchdog?.stop();
    aborted.dispose();
  }
  return concatBytes(chunks, size);
};
