import type { Clock } from '../ports/clock';

/** Why a watchdog fired: nothing at all came for its `ms`, or only activity without progress for its `progressMs`. */
export type IdleReason = 'silent' | 'no-progress';

/** A timer that fires after a stretch of silence; `touch` marks activity, `progress` marks progress. */
export interface IdleWatchdog {
  /** Marks activity now: the silence starts again. Costs one clock read, no timer work. */
  touch(): void;
  /** Marks progress now (activity too): the stretch without progress starts again. */
  progress(): void;
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
  private lastProgress: number;
  private stopped = false;
  private handle: unknown;
  private readonly check = (): void => {
    this.handle = undefined;
    if (this.stopped) return;
    const now = this.clock.now();
    const silent = now - this.last;
    const stalled = now - this.lastProgress;
    if (silent >= this.ms) return this.fire('silent');
    if (stalled >= this.progressMs) return this.fire('no-progress');
    this.handle = this.clock.schedule(this.check, Math.min(this.ms - silent, this.progressMs - stalled), true);
  };

  constructor(
    private readonly clock: Clock,
    private readonly ms: number,
    private readonly onIdle: (reason: IdleReason) => void,
    private readonly progressMs: number,
  ) {
    this.last = this.lastProgress = clock.now();
    // In the background: what it watches (a socket) keeps the process alive while it is open. A stream a script
    // left unread held the process for the whole bound (300 s) after everything else had ended.
    this.handle = clock.schedule(this.check, Math.min(ms, progressMs), true);
  }

  touch(): void {
    this.last = this.clock.now();
  }

  progress(): void {
    this.last = this.lastProgress = this.clock.now();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== undefined) this.clock.cancel(this.handle);
    this.handle = undefined;
  }

  private fire(reason: IdleReason): void {
    this.stopped = true;
    this.onIdle(reason);
  }
}

/**
 * Calls `onIdle` once nothing has touched the watchdog for `ms`, or once nothing has marked progress for
 * `progressMs` (activity that is not progress, such as keep-alives, holds off the first but not the second), on the
 * injected clock. Activity only records a timestamp: the one scheduled timer looks at it when it fires and, if
 * something happened meanwhile, schedules itself for the rest of the stretch. A stream of many small chunks
 * therefore costs a clock read per chunk rather than a cancel and a schedule.
 *
 * @example
 * const watchdog = startIdleWatchdog(clock, 60_000, () => cancel(new Error('stalled')));
 * for await (const chunk of body) { watchdog.touch(); … }
 * watchdog.stop();
 */
export const startIdleWatchdog = (clock: Clock, ms: number, onIdle: (reason: IdleReason) => void, progressMs = Infinity): IdleWatchdog =>
  new Watchdog(clock, ms, onIdle, progressMs);
