import type { Clock } from '../ports/clock';

/** A timer that fires after a stretch of silence; `touch` marks progress. */
export interface IdleWatchdog {
  /** Marks progress now: the silence starts again. Costs one clock read, no timer work. */
  touch(): void;
  /** Stops watching; the callback will not run. Safe to call more than once. */
  stop(): void;
}

/**
 * The watchdog's state. A class so that `touch` and `stop` live on the prototype: a stream holds one of these for
 * its whole life, and closures would cost it a scope and two functions more. `check` is the one bound function,
 * made once for the timer.
 */
class Watchdog implements IdleWatchdog {
  private last: number;
  private stopped = false;
  private handle: unknown;
  private readonly check = (): void => {
    this.handle = undefined;
    if (this.stopped) return;
    const silent = this.clock.now() - this.last;
    if (silent >= this.ms) {
      this.stopped = true;
      this.onIdle();
    } else {
      this.handle = this.clock.schedule(this.check, this.ms - silent);
    }
  };

  constructor(
    private readonly clock: Clock,
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {
    this.last = clock.now();
    this.handle = clock.schedule(this.check, ms);
  }

  touch(): void {
    this.last = this.clock.now();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== undefined) this.clock.cancel(this.handle);
    this.handle = undefined;
  }
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
export const startIdleWatchdog = (clock: Clock, ms: number, onIdle: () => void): IdleWatchdog => new Watchdog(clock, ms, onIdle);
