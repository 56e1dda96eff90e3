import { AttemptTimeoutError } from '../errors/attempt-timeout-error';
import { AbortSource } from './abort-source';
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

/**
 * Starts a deadline on the injected clock (never `AbortSignal.timeout`, whose timer neither fake clocks nor tests
 * control). Its signal also follows the caller's, so one signal stops everything.
 */
export const startDeadline = (clock: Clock, ms: number, callerSignal: CallerSignal | undefined): Deadline => {
  const at = clock.now() + ms;
  const signal = new AbortSource();
  const onCallerAbort = () => signal.abort(callerSignal?.reason);
  if (callerSignal?.aborted) signal.abort(callerSignal.reason);
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const handle = clock.schedule(() => signal.abort(new AttemptTimeoutError('deadline', ms)), ms);
  return {
    at,
    signal,
    remainingMs: () => Math.max(0, at - clock.now()),
    disarm: () => clock.cancel(handle),
    dispose: () => {
      clock.cancel(handle);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
};
