import { Readable } from 'node:stream';
import type { CallerSignal, TransportResponse } from '@detour/core';
import { errors } from 'undici';
import { headerRecord, type RawHeaders } from './header-record';
import { ignore } from './pull-iterator';

/**
 * An answer's body as a Node stream, fed by undici's parser: a chunk it cannot take yet pauses the socket until the
 * reader asks for more. Destroyed before its end (with a reason or without), it aborts the request, which closes the
 * socket so the provider stops generating; without a reason it fails with undici's `RequestAbortedError`, as
 * undici's own response bodies do, so a reader never mistakes a dropped body for a whole one.
 */
export class ResponseBody extends Readable {
  constructor(
    private readonly resumeSocket: () => void,
    private readonly abortRequest: (reason: Error) => void,
  ) {
    super({ autoDestroy: true, highWaterMark: 64 * 1024 });
  }

  override _read(): void {
    this.resumeSocket();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const failure = error ?? (this.readableEnded ? null : new errors.RequestAbortedError());
    if (failure) this.abortRequest(failure);
    callback(failure);
  }
}

/**
 * Destroys a body, listening first for the 'error' that destroying it emits (the reason, or `RequestAbortedError`
 * without one): a body nobody reads has no listener of its own, and an unheard 'error' would crash the process.
 */
export const destroyBody = (body: Readable, reason?: unknown): void => {
  if (body.destroyed) return;
  body.on('error', ignore);
  body.destroy(reason instanceof Error ? reason : undefined);
};

/** What an attempt resolves with once the answer's headers are in. */
export interface ResponseStart {
  readonly statusCode: number;
  readonly headers: TransportResponse['headers'];
  readonly body: ResponseBody;
}

/**
 * One request's handler for undici's `Dispatcher.dispatch`, in place of `Dispatcher.request`'s. It does what that
 * one does for Detour (settles on the final headers, streams the body, follows the attempt's signal), without what
 * Detour does not use (async-hook resources, trailers, `text()`/`json()` on the body) and with the header record
 * made by `headerRecord` rather than undici's `parseHeaders`, which was about a tenth of a gateway request's
 * instructions.
 */
export class ResponseHandler {
  private abort: ((reason: Error) => void) | undefined = undefined;
  private body: ResponseBody | undefined = undefined;
  private settled = false;
  // Why the request was failed before undici connected it: the connection is then aborted as soon as it is made.
  private reason: Error | undefined = undefined;

  constructor(
    private readonly signal: CallerSignal,
    private readonly resolve: (start: ResponseStart) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The attempt's signal: before the headers it fails the request, after them the body, with the signal's reason. */
  private readonly onAbort = (): void => {
    const reason = (this.signal.reason as Error | undefined) ?? new errors.RequestAbortedError();
    if (this.body) destroyBody(this.body, reason);
    else if (this.abort) this.abort(reason);
    else {
      this.reason = reason;
      this.fail(reason);
    }
  };

  private readonly stopListening = (): void => this.signal.removeEventListener('abort', this.onAbort);

  private fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.stopListening();
    this.reject(error);
  }

  onConnect(abort: (reason: Error) => void): void {
    if (this.reason) abort(this.reason);
    else this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: RawHeaders, resume: () => void): boolean {
    // An interim answer (100 Continue, 103 Early Hints): the final one follows on the same request.
    if (statusCode < 200) return true;
    // Read first: should it throw, undici aborts the request and `onError` rejects the attempt.
    const headers = headerRecord(rawHeaders);
    const body = new ResponseBody(resume, this.abort ?? ignore);
    this.body = body;
    this.settled = true;
    body.once('close', this.stopListening);
    this.resolve({ statusCode, headers, body });
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.body!.push(chunk);
  }

  onComplete(): void {
    this.body!.push(null);
  }

  onError(error: Error): void {
    const { body } = this;
    if (!body) return this.fail(error);
    this.body = undefined;
    this.stopListening();
    // After the chunks undici has already handed over are read by anyone listening; heard even if nobody is.
    queueMicrotask(() => destroyBody(body, error));
  }
}
