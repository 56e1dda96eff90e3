import { DetourError } from './detour-error';

/**
 * Which timer fired: the per-attempt limit, the wait for the first body byte (streams: the first event), the
 * silence between the body bytes of a JSON answer, or the overall deadline.
 */
export type TimeoutPhase = 'attempt' | 'first_byte' | 'body_idle' | 'deadline';

const messages: Record<TimeoutPhase, string> = {
  attempt: 'Attempt timed out',
  first_byte: 'No first byte',
  body_idle: 'The answer\'s body stalled: no bytes',
  deadline: 'Deadline exceeded',
};

/** An attempt ran out of time. Distinct from a caller's abort, which is never retried. */
export class AttemptTimeoutError extends DetourError {
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;

  constructor(phase: TimeoutPhase, timeoutMs: number) {
    super(phase === 'deadline' ? 'deadline_exceeded' : 'attempt_timeout', {
      message: `${messages[phase]} ${phase === 'body_idle' ? 'for' : 'after'} ${timeoutMs} ms.`,
      retryable: phase !== 'deadline',
    });
    this.name = 'AttemptTimeoutError';
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}
