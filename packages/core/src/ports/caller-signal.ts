/**
 * The caller's cancellation as the router reads it: whether it has happened, why, and a way to hear of it. Every
 * `AbortSignal` is one. A binding that owns the connection (the gateway) may pass a lighter object of its own:
 * creating an `AbortController` and listening on it costs more per request on Node than everything else the
 * router does with the caller's signal.
 */
export interface CallerSignal {
  /** The caller has gone; `reason` says why. */
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Calls `listener` (at most once with `{ once: true }`) when the caller goes. */
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
