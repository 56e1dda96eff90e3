import type { DelaySource, ProviderSignals } from '../signals/read-provider-signals';
import type { CooldownRule, KindPolicy, OutcomeKind } from './outcome-kind';

/** The verdict on one attempt: its kind, its policy (after `x-should-retry`), and the server's delay. */
export interface Classification extends KindPolicy {
  readonly kind: OutcomeKind;
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** The server-directed delay in ms, when the provider gave one. */
  readonly delayMs: number | undefined;
  readonly delaySource: DelaySource | undefined;
  /** A short, key-free description for logs and the final error. */
  readonly reason: string;
  readonly signals: ProviderSignals | undefined;
  /**
   * The endpoint cannot have acted on the request: it refused it (a 429, a 503 or 529, a 4xx) or never received it
   * (a refused connection, a name that does not resolve). After any other failure (a 500, a timeout, a connection
   * cut after the request was sent, an answer that does not parse) the request may have been carried out, so one
   * that must not run twice (`PreparedRequest.replayable`) is neither retried nor failed over.
   */
  readonly unprocessed: boolean;
}

// The outcomes after which the request may have been carried out: a success, a 5xx that is no overload, a timeout,
// a network failure, an answer that does not parse or is too large. Every other outcome refuses the request. A
// network failure or a timeout refuses it too when the transport says it never left (`TransportErrorDescription.unsent`).
const mayHaveRun: ReadonlySet<OutcomeKind> = new Set<OutcomeKind>(['success', 'server_error', 'timeout', 'network', 'invalid_response', 'response_too_large']);

/** Builds a classification from a kind's policy, letting the caller override parts of it. */
export const classification = (
  kind: OutcomeKind,
  policy: KindPolicy,
  fields: { status?: number; reason: string; signals?: ProviderSignals; retrySame?: boolean; cooldown?: CooldownRule; delayMs?: number; unprocessed?: boolean },
): Classification => ({
  kind,
  retrySame: fields.retrySame ?? policy.retrySame,
  failover: policy.failover,
  breaker: policy.breaker,
  cooldown: fields.cooldown ?? policy.cooldown,
  status: fields.status,
  delayMs: 'delayMs' in fields ? fields.delayMs : fields.signals?.delayMs,
  delaySource: fields.signals?.delaySource,
  reason: fields.reason,
  signals: fields.signals,
  unprocessed: fields.unprocessed ?? !mayHaveRun.has(kind),
});
