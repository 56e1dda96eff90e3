import { AttemptTimeoutError } from '../errors/attempt-timeout-error';
import { DetourError } from '../errors/detour-error';
import type { DescribeTransportError } from '../ports/transport';
import { classification, type Classification } from './classification';
import { kindPolicies } from './outcome-kind';

/**
 * Classifies an attempt that produced no response: a caller's abort (never retried), one of our own timers, or a
 * network failure described by the binding. `hadFairShare`: the attempt ran for at least half of the request's
 * deadline, so a deadline that ended it is the endpoint's silence.
 */
export const classifyTransportError = (
  error: unknown,
  { callerAborted, describe, hadFairShare = false }: { callerAborted: boolean; describe: DescribeTransportError; hadFairShare?: boolean },
): Classification => {
  if (callerAborted) return classification('aborted', kindPolicies.aborted, { reason: 'aborted by the caller' });
  if (DetourError.isInstance(error) && error instanceof AttemptTimeoutError) {
    // Attempt and first-byte timeouts are the endpoint's slowness, and count. The request's deadline counts only
    // against an attempt that had a fair share of it (`hadFairShare`): one that started late, after other attempts
    // and waits, was cut by time others spent. Never counting it let an endpoint that accepts and never answers keep
    // its full share of traffic while every request sent to it waited out the deadline.
    const policy = error.phase === 'deadline' && !hadFairShare ? { ...kindPolicies.timeout, breaker: 'neutral' as const } : kindPolicies.timeout;
    // An endpoint that stayed silent for a whole first-byte or body-idle bound on this request is not asked again
    // for it (four silent minutes on one endpoint held callers for four minutes); another endpoint may answer.
    const silent = error.phase === 'first_byte' || error.phase === 'body_idle';
    return classification('timeout', policy, { reason: error.message, retrySame: silent ? false : undefined });
  }
  const description = describe(error);
  const kind = description.kind === 'timeout' ? 'timeout' : 'network';
  // An error's own message may run over lines (OpenSSL's do): one line in a reason, which a caller's error lists.
  const detail = description.code ?? (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  const reason = description.hint ? `${kind}: ${detail} (${description.hint})` : `${kind}: ${detail}`;
  // This process's own shortage (`local`) says nothing of the endpoint's health.
  const policy = description.local ? { ...kindPolicies[kind], breaker: 'neutral' as const } : kindPolicies[kind];
  return classification(kind, policy, { reason, retrySame: description.permanent || description.local ? false : undefined, unprocessed: description.unsent === true });
};
