import type { CallerSignal } from '../ports/caller-signal';

/** The reason an abort without one carries, as `AbortController.abort()` gives it (every runtime core targets has it). */
const abortError = (): unknown => new DOMException('This operation was aborted', 'AbortError');

/**
 * An abort signal and its controller in one plain object: the engine's deadlines and attempts, which every request
 * makes and almost never aborts. On Node, an `AbortSignal` costs about 5 µs to create and its event-target listeners
 * more to add and remove; this costs a few dozen nanoseconds. It is a {@link CallerSignal}, which undici takes as
 * is; a transport that needs a real `AbortSignal` (the Web `fetch`) makes one with {@link toAbortSignal}.
 * Listeners behave as an `AbortSignal`'s do: each runs at most once, in the order added; adding the same function
 * twice registers it once; one removed before its turn (even by an earlier listener) never runs, and one added
 * after the abort never runs.
 */
export class AbortSource implements CallerSignal {
  aborted = false;
  reason: unknown = undefined;
  // One listener is the usual case (a deadline's attempt, a stream's guard): kept as is, not in an array, whose
  // first push reserves room for sixteen. An array only once a second one comes.
  private listeners: (() => void) | (() => void)[] | undefined = undefined;

  /** Listeners always run once, so `{ once: true }` changes nothing. */
  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (this.aborted) return;
    const listeners = this.listeners;
    if (listeners === undefined) this.listeners = listener;
    else if (typeof listeners === 'function') {
      if (listeners !== listener) this.listeners = [listeners, listener];
    } else if (!listeners.includes(listener)) listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.listeners;
    if (listeners === listener) this.listeners = undefined;
    else if (typeof listeners === 'object') {
      const index = listeners.indexOf(listener);
      if (index >= 0) listeners.splice(index, 1);
    }
  }

  /**
   * Aborts once (later calls do nothing) and tells every listener. It never throws, as `AbortController.abort()`
   * does not: callers clean up right after it. A listener that throws does not stop the rest; its error surfaces
   * as an unhandled rejection (core has no host to report it to), as loud as an `AbortSignal` listener's uncaught
   * error.
   */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? abortError() : reason;
    const listeners = this.listeners;
    if (typeof listeners === 'function') {
      this.listeners = undefined;
      notify(listeners);
      return;
    }
    if (!listeners) return;
    // Dispatch reads the live list, so a listener that an earlier one removes is skipped.
    while (listeners.length > 0) notify(listeners.shift()!);
    this.listeners = undefined;
  }
}

/** Runs an abort listener; its error is reported, not thrown: an unhandled rejection, as an AbortSignal's would be. */
const notify = (listener: () => void): void => {
  try {
    listener();
  } catch (error) {
    void Promise.reject(error);
  }
};

/**
 * An {@link AbortSource} that also aborts, with the same reason, when `parent` does. Call `unlink` once done so the
 * parent keeps no listener (a request's deadline outlives each of its attempts). A class: a committed stream keeps
 * its deadline's and its attempt's for its whole life, and this holds one listener where closures would hold two
 * functions, a scope and an object to carry them.
 */
export class LinkedAbortSource extends AbortSource {
  private readonly onParentAbort = (): void => this.abort(this.parent.reason);

  constructor(private readonly parent: CallerSignal) {
    super();
    if (parent.aborted) this.abort(parent.reason);
    else parent.addEventListener('abort', this.onParentAbort, { once: true });
  }

  /** Stops following the parent (safe to call more than once). */
  unlink(): void {
    this.parent.removeEventListener('abort', this.onParentAbort);
  }
}

/**
 * A real `AbortSignal` that follows `signal`, for an API that demands one (the Web `fetch`); `signal` itself when it
 * already is one. The listener it adds lives as long as `signal` does: give it a signal that ends with the call
 * (an attempt's), not one that outlives many.
 */
export const toAbortSignal = (signal: CallerSignal): AbortSignal => {
  if (signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller.signal;
};
