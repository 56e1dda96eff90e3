import type { AttemptRecord } from '../engine/attempt-record';
import type { UpstreamHeaders } from '../ports/transport';
import { DetourError } from './detour-error';

/** Why the router gave up. */
export type ExhaustedReason = 'exhausted' | 'not_retryable' | 'not_replayable' | 'aborted' | 'budget' | 'deadline';

/** The last upstream answer, kept so a gateway or `fetch` can relay the provider's own error. */
export interface LastResponse {
  readonly status: number;
  readonly headers: UpstreamHeaders;
  readonly bodyText: string;
}

/**
 * Every attempt failed, or the request could not be retried. Lists each attempt (endpoint, status, kind, delay,
 * cost) and keeps the last error and the last upstream answer.
 */
export class AttemptsExhaustedError extends DetourError {
  readonly reason: ExhaustedReason;
  readonly attempts: readonly AttemptRecord[];
  readonly lastResponse: LastResponse | undefined;
  /** When the earliest endpoint frees up, if one will by itself. */
  readonly retryAfterMs: number | undefined;

  constructor({ reason, attempts, lastResponse, lastError, retryAfterMs, retryable }: {
    reason: ExhaustedReason; attempts: readonly AttemptRecord[]; lastResponse: LastResponse | undefined;
    lastError: unknown; retryAfterMs: number | undefined; retryable: boolean;
  }) {
    const summary = attempts
      .map((attempt) => `#${attempt.attempt} ${attempt.endpoint}: ${attempt.reason}${attempt.serverDelayMs !== undefined ? ` (server delay ${attempt.serverDelayMs} ms)` : ''}`)
      .join('; ');
    const why: Record<ExhaustedReason, string> = {
      exhausted: 'every attempt failed',
      not_retryable: 'the failure cannot succeed on a retry',
      not_replayable: 'the endpoint may have carried the request out, and it must not run twice (an Idempotency-Key header allows retries)',
      aborted: 'the caller aborted',
      budget: 'the retry budget is spent',
      deadline: 'the deadline passed',
    };
    super(reason === 'deadline' ? 'deadline_exceeded' : reason === 'aborted' ? 'aborted' : 'attempts_exhausted', {
      message: `Request failed after ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}: ${why[reason]}.${summary ? ` ${summary}` : ''}`,
      retryable,
      cause: lastError,
    });
    this.name = 'AttemptsExhaustedError';
    this.reason = reason;
    this.attempts = attempts;
    this.lastResponse = lastResponse;
    this.retryAfterMs = retryAfterMs;
  }
}
