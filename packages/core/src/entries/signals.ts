// @detour/core/signals: how Detour reads a provider's answer, for tooling, dashboards and other gateways. Every
// parser is pure and never throws: `Retry-After` in all its forms, rate-limit headers of each dialect, IETF
// `RateLimit` fields, error bodies, and the classification that turns them into one of a closed set of outcomes.

export { parseRetryAfter, parseRetryAfterMs } from '../signals/parse-retry-after';
export { parseProtoDuration, parseResetDuration } from '../signals/parse-reset-duration';
export { parseHttpDate } from '../signals/parse-http-date';
export { parseStructuredList, type StructuredItem, type StructuredValue } from '../signals/parse-structured-list';
export { readIetfRateLimit, type IetfRateLimit } from '../signals/ietf-rate-limit';
export { readErrorBody, type ProviderError } from '../signals/read-error-body';
export { readHeader, type HeaderSource } from '../signals/read-header';
export { quotaDimensions, readQuotaHeaders, type QuotaDimension, type QuotaObservation, type QuotaReading } from '../quota/read-quota-headers';
export { estimateCost } from '../quota/estimate-cost';
export { createQuotaTracker, type ConfiguredLimits, type QuotaCost, type QuotaForecast, type QuotaReservation, type QuotaSpend, type QuotaTarget, type QuotaTracker, type QuotaTrackerOptions } from '../quota/quota-tracker';
export { priorityReserveMs, reserveSteps, type ReserveStep } from '../quota/priority-reserve';
export {
  readProviderSignals, type DelaySource, type ProviderSignals, type RateLimitDimension, type SignalInput,
} from '../signals/read-provider-signals';
export { kindPolicies, type CooldownRule, type KindPolicy, type OutcomeKind } from '../classification/outcome-kind';
export type { Classification } from '../classification/classification';
export { believedDelayCapsMs, classifyResponse, type ResponseFacts } from '../classification/classify-response';
export { classifyTransportError } from '../classification/classify-transport-error';
export { decideCooldown, type CooldownDecision, type CooldownOptions } from '../cooldown/cooldown';
export {
  exponentialCeiling, initialBackoffState, jitterServerDelay, nextBackoff, type BackoffOptions, type BackoffState, type JitterMode,
} from '../backoff/backoff';
