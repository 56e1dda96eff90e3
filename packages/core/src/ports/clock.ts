/**
 * The only way core reads or schedules time. Bindings pass a system clock; tests pass a fake one and step through
 * cooldowns, half-open windows and deadlines without real sleeps.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Runs `run` after `ms`; returns a handle for {@link Clock.cancel}. A `background` timer keeps no process alive by
   * itself (Node's `unref`): a watchdog over a socket, which keeps the process alive while it is open, must not hold
   * a script that has finished for its whole bound. Clocks without the notion ignore it.
   */
  schedule(run: () => void, ms: number, background?: boolean): unknown;
  /** Cancels a scheduled run; unknown or spent handles are ignored. */
  cancel(handle: unknown): void;
}
