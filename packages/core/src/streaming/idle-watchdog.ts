import type { Clock } from '../ports/clock';

/** A timer that fires after a stretch of silence; `touch` marks progress. */
export interface IdleWatchdog {
  /** Marks progress now: the silence starts again. Costs one clock read, no timer work. */
  touch(): void;
  /** Stops watching; the callback will not run. Safe to call more than once. */
  stop(): void;
}

/**
 * Calls `onIdle` once nothing has touched the watchdog for `ms`, on the injected clock. Progress only records a
 * timestamp: the one scheduled timer looks at it when it fires and, if something happened meanwhile, schedules
 * itself for the rest of the stretch. A stream of many small chunks therefore costs a clock read per chunk rather
 * than a cancel and a schedule.
 *
 * @example
 * const watchdog = startIdleWatchdog(clock, 60_000, () => cancel(new Error('stalled')));
 * for await (const chunk of body) { watchdog.touch(); … }
 * watchdog.stop();
 */
export const startIdleWatchdog = (clock: Clock, ms: number, onIdle: () => void): IdleWatchdog => {
  let last = clock.now();
  let stopped = false;
  let handle: unknown;
  const check = () => {
    handle = undefined;
    if (stopped) return;
    const silent = clock.now() - last;
    if (silent >= ms) {
      stopped = true;
      onIdle();
    } else {
      handle = clock.schedule(check, ms - silent);
    }
  };
  handle = clock.schedule(check, ms);
  return {
    touch: () => {
      last = clock.now();
    },
    stop: () => {
      stopped = true;
      if (handle !== undefined) clock.cancel(handle);
      handle = undefined;
    },
  };
};
