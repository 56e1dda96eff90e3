/**
 * The only way core reads or schedules time. Bindings pass a system clock; tests pass a fake one and step through
 * cooldowns, half-open windows and deadlines without real sleeps.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `run` after `ms`; returns a handle for {@link Clock.cancel}. */
  schedule(run: () => void, ms: number): unknown;
  /** Cancels a scheduled run; unknown or spent handles are ignored. */
  cancel(handle: unknown): void;
}
