import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { CallerSignal } from '../ports/caller-signal';
import type { Clock } from '../ports/clock';
import { startIdleWatchdog, type IdleWatchdog } from './idle-watchdog';
import type { SseWatcher } from './sse-watcher';
import type { ChunkFilter } from './usage-chunk-filter';

/**
 * Who ended a stream that did not complete. `upstream`: it broke (reset, error event, close before the end);
 * `stalled`: it went silent while the caller waited; `deadline`: the request's deadline passed
 * (`streamDeadline: 'total'`); `caller`: the caller cancelled, stopped reading early, or aborted its signal;
 * `abandoned`: the caller stopped reading without saying so; `diverged`: the filter refused what the upstream sent
 * (a rescue's replay that did not repeat the delivered text). Only `upstream` and `stalled` are the endpoint's fault.
 */
export type StreamEndCause = 'upstream' | 'stalled' | 'deadline' | 'caller' | 'abandoned' | 'diverged';

/** How a committed stream ended. */
export interface StreamSettlement {
  /** `complete`: a whole answer; `interrupted`: it was cut (see `cause`); `cancelled`: the caller left. */
  readonly outcome: 'complete' | 'interrupted' | 'cancelled';
  /** Why it did not complete; undefined when it did. */
  readonly cause: StreamEndCause | undefined;
  readonly error: StreamInterruptedError | undefined;
  readonly bytes: number;
  readonly watcher: SseWatcher;
}

/** What {@link guardStream} wraps. */
export interface GuardStreamOptions {
  readonly endpoint: string;
  /** Chunks already read while waiting for the first event; delivered first. */
  readonly head: readonly Uint8Array[];
  readonly iterator: AsyncIterator<Uint8Array>;
  readonly watcher: SseWatcher;
  /** Releases the upstream (its socket, its timers) when the stream ends early. */
  readonly cancel: (reason: unknown) => void;
  /** Called exactly once, however the stream ends. */
  readonly onSettle: (settlement: StreamSettlement) => void;
  /**
   * Rewrites what the caller receives (the watcher still sees the upstream's bytes). A filter that throws ends the
   * stream as `diverged`, upstream cancelled, with the error's message as the reason.
   */
  readonly filter?: ChunkFilter | undefined;
  /** The clock the idle timer runs on. Without it (or without `idleTimeoutMs`) nothing idles out. */
  readonly clock?: Clock | undefined;
  /**
   * The longest silence allowed: of the upstream while the caller waits for a chunk (then the stream is cut as
   * `stalled`), and of the caller between two reads (then it is `abandoned`: cancelled and settled).
   */
  readonly idleTimeoutMs?: number | undefined;
  /** Aborts when the request ends from outside: the caller's abort or the deadline. Settles the stream at once. */
  readonly signal?: CallerSignal | undefined;
  /** The caller's own signal, to tell its abort (`caller`) from the deadline's (`deadline`) on `signal`. */
  readonly callerSignal?: CallerSignal | undefined;
}

/**
 * Passes a committed event stream through to the caller and gives it exactly one ending. A cut never looks like a
 * clean end: a transport error, an error event, a close without the terminating event (or without a
 * `finish_reason` on every choice), a stall or the deadline surface as a {@link StreamInterruptedError} from
 * `next()`. The caller leaving — `return()`, its signal aborting, or not reading for `idleTimeoutMs` — cancels the
 * upstream at once, so nobody keeps paying for tokens nobody reads, and settles as `cancelled`. Every ending goes
 * through one `settle`, which stops the idle timer, drops the signal listener and calls `onSettle` once.
 *
 * One long factory on purpose (about 130 lines): `next()`, `return()`, the idle watchdog and the abort listener all
 * race to end the same stream, and they share its few mutable facts (settled, reading, the terminal error, the
 * read in flight). Kept in one closure, every ending is visible on one screen and goes through one `settle`.
 */
export const guardStream = (options: GuardStreamOptions): AsyncIterableIterator<Uint8Array> => {
  const { endpoint, watcher } = options;
  const head = [...options.head];
  let bytes = 0;
  let settled = false;
  let reading = false;
  // What a later `next()` throws after the stream ended badly; a caller's own `return()` leaves it undefined.
  let terminal: unknown;
  // Rejects the read in flight when the stream ends from outside (a stall, the deadline, the caller's abort). One
  // promise per read, settled by whichever comes first: a `Promise.race` against a shared "stopped" promise would
  // allocate more per chunk and leave a reaction on that promise for every chunk of a long stream.
  let failRead: ((error: unknown) => void) | undefined;
  const stop = (error: unknown) => failRead?.(error);
  const read = () =>
    new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
      failRead = reject;
      options.iterator.next().then(resolve, reject);
    });
  let watchdog: IdleWatchdog | undefined;

  const onAbort = () => {
    const signal = options.signal!;
    if (options.callerSignal?.aborted) end('cancelled', 'caller', undefined, signal.reason);
    else end('interrupted', 'deadline', 'the request deadline passed', signal.reason);
  };

  const settle = (outcome: StreamSettlement['outcome'], cause?: StreamEndCause, error?: StreamInterruptedError) => {
    if (settled) return false;
    settled = true;
    watchdog?.stop();
    options.signal?.removeEventListener('abort', onAbort);
    options.onSettle({ outcome, cause, error, bytes, watcher });
    return true;
  };

  /** Ends the stream from outside a read: cancels the upstream and fails any read in flight. */
  const end = (outcome: 'interrupted' | 'cancelled', cause: StreamEndCause, reason: string | undefined, thrown?: unknown) => {
    if (settled) return;
    const error = reason === undefined ? undefined : new StreamInterruptedError({ endpoint, bytesDelivered: bytes, reason, cause: thrown });
    terminal = error ?? thrown;
    settle(outcome, cause, error);
    options.cancel(terminal);
    void options.iterator.return?.()?.catch(() => undefined);
    stop(terminal);
  };

  const interrupt = (reason: string, cause?: unknown): never => {
    const error = new StreamInterruptedError({ endpoint, bytesDelivered: bytes, reason, cause });
    terminal = error;
    settle('interrupted', 'upstream', error);
    throw error;
  };

  /** Runs the filter; one that throws has refused the upstream's bytes, which ends the stream here. */
  const filtered = (run: () => Uint8Array | undefined): Uint8Array | undefined => {
    try {
      return run();
    } catch (error) {
      end('interrupted', 'diverged', error instanceof Error ? error.message : String(error), error);
      throw terminal;
    }
  };

  const finish = (): IteratorResult<Uint8Array> => {
    const rest = options.filter ? filtered(() => options.filter!.flush()) : undefined;
    settle('complete');
    if (!rest) return { done: true, value: undefined };
    bytes += rest.byteLength;
    return { done: false, value: rest };
  };

  if (options.clock && options.idleTimeoutMs !== undefined) {
    const ms = options.idleTimeoutMs;
    watchdog = startIdleWatchdog(options.clock, ms, () => {
      // Silence while the caller waits is the upstream's; silence while nobody reads is the caller's.
      if (reading) end('interrupted', 'stalled', `the upstream stalled: no bytes for ${ms} ms`);
      else end('cancelled', 'abandoned', `the caller did not read the stream for ${ms} ms`);
    });
  }
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const iterator: AsyncIterableIterator<Uint8Array> = {
    async next() {
      watchdog?.touch();
      for (;;) {
        if (settled) {
          if (terminal !== undefined) throw terminal;
          return { done: true, value: undefined };
        }
        const buffered = head.shift();
        if (buffered) {
          const out = options.filter ? filtered(() => options.filter!.push(buffered)) : buffered;
          if (!out) continue;
          bytes += out.byteLength;
          return { done: false, value: out };
        }
        let result: IteratorResult<Uint8Array>;
        reading = true;
        try {
          result = await read();
        } catch (cause) {
          if (settled) {
            if (terminal !== undefined) throw terminal;
            return { done: true, value: undefined };
          }
          // Some proxies reset the connection after the last event: the answer was already whole.
          if (watcher.finished && watcher.error === undefined) return finish();
          return interrupt(cause instanceof Error ? cause.message : 'the upstream connection failed', cause);
        } finally {
          reading = false;
          failRead = undefined;
        }
        if (settled) continue;
        watchdog?.touch();
        if (result.done) {
          if (watcher.error !== undefined) return interrupt('the upstream sent an error event');
          // Providers that never send `[DONE]` still end every choice with a finish_reason before a clean close.
          if (!watcher.finished && !watcher.choicesFinished) return interrupt('the upstream closed the stream without its terminating event');
          return finish();
        }
        watcher.push(result.value);
        const out = options.filter ? filtered(() => options.filter!.push(result.value)) : result.value;
        // A chunk that held only the removed event, or part of an event still arriving, yields nothing yet.
        if (!out) continue;
        bytes += out.byteLength;
        return { done: false, value: out };
      }
    },
    async return() {
      if (!settled && watcher.finished && watcher.error === undefined) {
        // The caller stopped after the terminating event: a whole answer, not a cancellation.
        settle('complete');
        void options.iterator.return?.()?.catch(() => undefined);
      } else if (!settled) {
        settle('cancelled', 'caller');
        options.cancel(new Error('the caller stopped reading'));
        void options.iterator.return?.()?.catch(() => undefined);
        stop(new Error('the caller stopped reading'));
      }
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
};
