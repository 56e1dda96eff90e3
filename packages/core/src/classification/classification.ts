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
}

/** Builds a classification from a kind's policy, letting the caller override parts of it. */
export const classification = (
  kind: OutcomeKind,
  policy: KindPolicy,
  fields: { status?: number; reason: string; signals?: ProviderSignals; retrySame?: boolean; cooldown?: CooldownRule; delayMs?: number },
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
});
