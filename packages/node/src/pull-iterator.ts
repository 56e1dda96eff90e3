/** The part of a Node `Readable` (undici's response body) that reading it by `read()` needs. */
export interface PullBody {
  read(): Uint8Array | null;
  on(event: 'readable' | 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeListener(event: 'readable' | 'end' | 'close' | 'error', listener: (...args: never[]) => void): unknown;
  destroy(error?: Error): unknown;
  readonly destroyed: boolean;
  readonly errored?: unknown;
}

/** What Node's own stream iterator rejects with when a stream closes before its end: a cut, never a clean end. */
const prematureClose = (): Error => Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });

const done: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** A `next()` waiting for the stream. */
interface Waiter {
  resolve(result: IteratorResult<Uint8Array>): void;
  reject(error: unknown): void;
}

/** Hears an error that nobody needs: a body's late abort error after it was let go. */
export const ignore = (): void => undefined;

/**
 * Iterates a Node stream's chunks as its own async iterator does (paused mode, `read()` on each `readable`; an
 * error or a close before `end` rejects; reads asked for at once are answered in order; `return()` destroys a
 * stream not yet ended), without what that iterator keeps for a stream's whole life: an async generator, its
 * pending promise and an end-of-stream watcher with a dozen closures, over 1 KiB per open stream. Four listeners.
 */
class PullIterator implements AsyncIterator<Uint8Array> {
  // The read waiting first, and any asked for behind it: usually none or one, so no array until a second comes.
  private waiter: Waiter | undefined = undefined;
  private queued: Waiter[] | undefined = undefined;
  private ended = false;
  private returned = false;
  private failure: { error: unknown } | undefined = undefined;

  constructor(private readonly body: PullBody) {
    body.on('readable', this.onReadable);
    body.on('end', this.onEnd);
    body.on('error', this.onError);
    body.on('close', this.onClose);
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.returned) return Promise.resolve(done);
    if (!this.waiter) {
      try {
        const result = this.take();
        if (result) return Promise.resolve(result);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      if (!this.waiter) this.waiter = { resolve, reject };
      else (this.queued ??= []).push({ resolve, reject });
    });
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    this.returned = true;
    this.detach();
    if (!this.ended) {
      // A body destroyed before its end emits an error on the next tick (undici turns a plain destroy into an abort
      // error), possibly after this: something must hear it, or Node treats it as unhandled and the process dies.
      // Node's own iterator keeps a listener for this too.
      this.body.on('error', ignore);
      if (!this.body.destroyed) this.body.destroy();
    }
    for (const waiter of this.dropWaiters()) waiter.resolve(done);
    return Promise.resolve(done);
  }

  /** A chunk, the end, or a throw for a failure; undefined while the stream has nothing yet. */
  private take(): IteratorResult<Uint8Array> | undefined {
    if (this.failure) throw this.failure.error;
    const chunk = this.body.destroyed ? null : this.body.read();
    if (chunk !== null) return { done: false, value: chunk };
    if (this.ended) return done;
    if (this.body.destroyed) {
      // Destroyed before its end (a cancel, an abort, a reset): its error, or a premature close.
      this.failure = { error: this.body.errored ?? prematureClose() };
      throw this.failure.error;
    }
    return undefined;
  }

  /** Answers the waiting `next()` calls, in order, for as long as there is something to answer them with. */
  private settle(): void {
    while (this.waiter) {
      let result: IteratorResult<Uint8Array> | undefined;
      try {
        result = this.take();
      } catch (error) {
        // A failure answers every read still waiting, as it would each one asked later.
        for (const waiter of this.dropWaiters()) waiter.reject(error);
        return;
      }
      if (!result) return;
      const waiter = this.waiter;
      this.waiter = this.queued?.shift();
      waiter.resolve(result);
    }
  }

  /** Every read still waiting, in order, no longer waiting. */
  private dropWaiters(): Waiter[] {
    const waiters = this.waiter ? [this.waiter, ...(this.queued ?? [])] : [];
    this.waiter = undefined;
    this.queued = undefined;
    return waiters;
  }

  private detach(): void {
    this.body.removeListener('readable', this.onReadable);
    this.body.removeListener('end', this.onEnd);
    this.body.removeListener('error', this.onError);
    this.body.removeListener('close', this.onClose);
  }

  private readonly onReadable = (): void => this.settle();

  private readonly onEnd = (): void => {
    this.ended = true;
    this.settle();
  };

  private readonly onError = (error: unknown): void => {
    this.failure ??= { error };
    this.settle();
  };

  private readonly onClose = (): void => {
    if (!this.ended) this.failure ??= { error: this.body.errored ?? prematureClose() };
    this.detach();
    this.settle();
  };
}

/** Iterates `body`'s chunks by `read()`: what the Node transport offers as its responses' `chunks()`. */
export const pullChunks = (body: PullBody): AsyncIterator<Uint8Array> => new PullIterator(body);
