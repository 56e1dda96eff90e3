import { StreamInterruptedError } from '../errors/stream-interrupted-error';
import type { SseWatcher } from './sse-watcher';
import type { ChunkFilter } from './usage-chunk-filter';

/** How a committed stream ended. */
export interface StreamSettlement {
  /** `complete`: the terminating event arrived; `interrupted`: the upstream broke; `cancelled`: the caller stopped. */
  readonly outcome: 'complete' | 'interrupted' | 'cancelled';
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
  /** Releases the upstream when the caller stops reading early. */
  readonly cancel: (reason: unknown) => void;
  /** Called exactly once, however the stream ends. */
  readonly onSettle: (settlement: StreamSettlement) => void;
  /** Rewrites what the caller receives (the watcher still sees the upstream's bytes). */
  readonly filter?: ChunkFilter | undefined;
}

/**
 * Passes a committed event stream through to the caller and makes sure a cut stream never looks like a clean end:
 * a transport error, an error event, or a close without the terminating event all surface as a
 * {@link StreamInterruptedError} from `next()`. `return()` (the caller stopping) cancels the upstream at once, so
 * nobody keeps paying for tokens nobody reads.
 */
export const guardStream = (options: GuardStreamOptions): AsyncIterableIterator<Uint8Array> => {
  const { endpoint, watcher } = options;
  const head = [...options.head];
  let bytes = 0;
  let settled = false;
  const settle = (outcome: StreamSettlement['outcome'], error?: StreamInterruptedError) => {
    if (settled) return;
    settled = true;
    options.onSettle({ outcome, error, bytes, watcher });
  };
  const interrupt = (reason: string, cause?: unknown): never => {
    const error = new StreamInterruptedError({ endpoint, bytesDelivered: bytes, reason, cause });
    settle('interrupted', error);
    throw error;
  };

  const finish = (): IteratorResult<Uint8Array> => {
    const rest = options.filter?.flush();
    settle('complete');
    if (!rest) return { done: true, value: undefined };
    bytes += rest.byteLength;
    return { done: false, value: rest };
  };

  const iterator: AsyncIterableIterator<Uint8Array> = {
    async next() {
      for (;;) {
        if (settled) return { done: true, value: undefined };
        const buffered = head.shift();
        if (buffered) {
          const out = options.filter ? options.filter.push(buffered) : buffered;
          if (!out) continue;
          bytes += out.byteLength;
          return { done: false, value: out };
        }
        let result: IteratorResult<Uint8Array>;
        try {
          result = await options.iterator.next();
        } catch (cause) {
          if (settled) return { done: true, value: undefined };
          // Some proxies reset the connection after the last event: the answer was already whole.
          if (watcher.finished && watcher.error === undefined) return finish();
          return interrupt(cause instanceof Error ? cause.message : 'the upstream connection failed', cause);
        }
        if (result.done) {
          if (watcher.error !== undefined) return interrupt('the upstream sent an error event');
          if (!watcher.finished) return interrupt('the upstream closed the stream without its terminating event');
          return finish();
        }
        watcher.push(result.value);
        const out = options.filter ? options.filter.push(result.value) : result.value;
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
        options.cancel(new Error('the caller stopped reading'));
        void options.iterator.return?.()?.catch(() => undefined);
        settle('cancelled');
      }
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
};
