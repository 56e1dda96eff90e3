import { DetourError } from './detour-error';

/** Which timer fired: the per-attempt limit, the wait for the first body byte, or the overall deadline. */
export type TimeoutPhase = 'attempt' | 'first_byte' | 'deadline';

/** An attempt ran out of time. Distinct from a caller's abort, which is never retried. */
export class AttemptTimeoutError extends DetourError {
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;

  constructor(phase: TimeoutPhase, timeoutMs: number) {
    super(phase === 'deadline' ? 'deadline_exceeded' : 'attempt_timeout', {
      message: `${phase === 'first_byte' ? 'No first byte' : phase === 'deadline' ? 'Deadline exceeded' : 'Attempt timed out'} after ${timeoutMs} ms.`,
      retryable: phase !== 'deadline',
    });
    this.name = 'AttemptTimeoutError';
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}
