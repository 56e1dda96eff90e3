import { AttemptsExhaustedError, type ExhaustedReason, type LastResponse } from '../errors/attempts-exhausted-error';
import type { RequestState } from './request-state';

/**
 * Ends the routing loop with one `AttemptsExhaustedError` holding every attempt, the last answer and why it
 * stopped. Only throws: the request settles where every ending settles, in `sendRequest`'s one catch.
 */
export const giveUp = (state: RequestState, reason: ExhaustedReason, retryAfterMs?: number): never => {
  const outcome = state.last?.outcome;
  const lastResponse: LastResponse | undefined =
    outcome?.status !== undefined && outcome.bodyText !== undefined && outcome.headers
      ? { status: outcome.status, headers: outcome.headers, bodyText: outcome.bodyText }
      : undefined;
  const classification = outcome?.classification;
  throw new AttemptsExhaustedError({
    reason, attempts: state.attempts, lastResponse, lastError: outcome?.error, retryAfterMs,
    retryable: reason !== 'aborted' && reason !== 'not_retryable' && reason !== 'not_replayable' && (classification ? classification.retrySame || classification.failover : true),
  });
};
