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
   * The endpoint cannot have acted on the request: it refused it by its status (a 4xx, a 529, a 503 with a
   * provider's delay or error code: HTTP's "unable to handle the request"; not a proxy's plain 503) or never received it (a refused connection, a name that does not
   * resolve: the transport's `unsent`). After any other failure (a 500 or 502, whatever its body calls it; a timeout;
   * a connection cut after the request was sent; an answer that does not parse; an error carried in a 200) the
   * request may have been carried out, so one that must not run twice (`PreparedRequest.replayable`) is neither
   * retried nor failed over.
   */
  readonly unprocessed: boolean;
  /**
   * A long cooldown (`cooldown: 'long'`) concerns only the request's model on this endpoint, not the endpoint: a
   * per-day or per-model quota, a model the key may not use (a 403 or 401 that is the model's). The endpoint stays in
   * rotation for other models. `classifyResponse` always sets it; unset (a classification built elsewhere): the
   * endpoint's.
   */
  readonly perModel?: boolean | undefined;
}

/** Builds a classification from a kind's policy, letting the caller override parts of it. */
export const classification = (
  kind: OutcomeKind,
  policy: KindPolicy,
  fields: { status?: number; reason: string; signals?: ProviderSignals; retrySame?: boolean; cooldown?: CooldownRule; delayMs?: number; unprocessed?: boolean; perModel?: boolean },
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
  unprocessed: fields.unprocessed ?? false,
  perModel: fields.perModel ?? false,
});
