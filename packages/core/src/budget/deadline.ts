import { AttemptTimeoutError } from '../errors/attempt-timeout-error';
import { AbortSource, LinkedAbortSource } from './abort-source';
import type { CallerSignal } from '../ports/caller-signal';
import type { Clock } from '../ports/clock';

/** One overall deadline for a request: every attempt and every wait must fit inside it. */
export interface Deadline {
  /** The instant the request must be done by. */
  readonly at: number;
  /** Aborts when the deadline passes or the caller aborts (a light {@link CallerSignal}, not an `AbortSignal`). */
  readonly signal: CallerSignal;
  remainingMs(): number;
  /** Clears the timer but keeps following the caller's signal (a committed stream under `streamDeadline: 'first-byte'`). */
  disarm(): void;
  /** Clears the timer and the caller listener; call once the request is settled. Safe to call more than once. */
  dispose(): void;
}

/** A {@link Deadline} on an injected clock: a class, so a stream holding it for its whole life holds no closures. */
class ClockDeadline implements Deadline {
  readonly signal: AbortSource;
  // Dropped once cleared: a committed stream holds its deadline for minutes, and a cleared timer is dead weight.
  private handle: unknown;
  private armed = true;

  constructor(
    private readonly clock: Clock,
    readonly at: number,
    ms: number,
    callerSignal: CallerSignal | undefined,
  ) {
    // Following the caller is what an attempt's signal does with its request's: the same link.
    const signal = callerSignal ? new LinkedAbortSource(callerSignal) : new AbortSource();
    this.signal = signal;
    this.handle = clock.schedule(() => signal.abort(new AttemptTimeoutError('deadline', ms)), ms);
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.clock.now());
  }

  disarm(): void {
    if (!this.armed) return;
    this.armed = false;
    this.clock.cancel(this.handle);
    this.handle = undefined;
  }

  dispose(): void {
    this.disarm();
    if (this.signal instanceof LinkedAbortSource) this.signal.unlink();
  }
}

/**
 * Starts a deadline on the injected clock (never `AbortSignal.timeout`, whose timer neither fake clocks nor tests
 * control). Its signal also follows the caller's, so one signal stops everything.
 */
export const startDeadline = (clock: Clock, ms: number, callerSignal: CallerSignal | undefined): Deadline =>
  new ClockDeadline(clock, clock.now() + ms, ms, callerSignal);
