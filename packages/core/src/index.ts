// @detour/core: the pure resilience engine. Every export is named here on purpose: each is a semver promise.

// The engine
export { createRouter, type EndpointHealth, type RouteResult, type Router, type RouterDependencies } from './engine/router';
export { prepareRequest, routePathFromUrl, upstreamModelName, type PreparedRequest, type RouteRequest } from './engine/prepare-request';
export type { AttemptRecord } from './engine/attempt-record';
export { availableFrom, isAvailable } from './engine/endpoint-availability';
export { createEventHub, type Disposable, type EventHub, type RouterEvent } from './engine/events';

// Options
export { parseRouterOptions } from './options/parse-router-options';
export { routerOptionsSchema, type RouterOptions, type RouterOptionsInput } from './options/router-options-schema';
export { endpointSchema, providerNames, type Endpoint, type EndpointInput } from './options/endpoint-schema';
export { formatPath, toIssues } from './options/to-issues';

// Ports: what bindings implement
export type { Clock } from './ports/clock';
export { systemClock } from './ports/system-clock';
export { createSleep, type Sleep } from './ports/sleep';
export { defaultRandom, type Random } from './ports/random';
export type { MaybePromise } from './ports/maybe-promise';
export { concatBytes, readStreamLimited } from './ports/bytes';
export type {
  DescribeTransportError, Transport, TransportErrorDescription, TransportRequest, TransportResponse, UpstreamHeaders,
} from './ports/transport';
export { describeTransportError } from './ports/describe-transport-error';
export type { EndpointState, StateStore } from './ports/state-store';
export { createMemoryStore, initialEndpointState, type MemoryStore } from './state/memory-store';

// Errors
export { DetourError, type DetourErrorOptions } from './errors/detour-error';
export { InvalidOptionsError, type OptionsIssue } from './errors/invalid-options-error';
export { NoEndpointAvailableError } from './errors/no-endpoint-available-error';
export { AttemptsExhaustedError, type ExhaustedReason, type LastResponse } from './errors/attempts-exhausted-error';
export { AttemptTimeoutError, type TimeoutPhase } from './errors/attempt-timeout-error';
export { StreamInterruptedError } from './errors/stream-interrupted-error';

// Backoff
export {
  exponentialCeiling, initialBackoffState, jitterServerDelay, nextBackoff, type BackoffOptions, type BackoffState, type JitterMode,
} from './backoff/backoff';

// Provider signals
export { parseRetryAfter, parseRetryAfterMs } from './signals/parse-retry-after';
export { parseResetDuration, parseProtoDuration } from './signals/parse-reset-duration';
export { parseHttpDate } from './signals/parse-http-date';
export { parseStructuredList, type StructuredItem, type StructuredValue } from './signals/parse-structured-list';
export { readIetfRateLimit, type IetfRateLimit } from './signals/ietf-rate-limit';
export { readErrorBody, type ProviderError } from './signals/read-error-body';
export { readHeader, type HeaderSource } from './signals/read-header';
export {
  readProviderSignals, type DelaySource, type ProviderSignals, type RateLimitDimension, type SignalInput,
} from './signals/read-provider-signals';

// Classification
export { kindPolicies, type CooldownRule, type KindPolicy, type OutcomeKind } from './classification/outcome-kind';
export type { Classification } from './classification/classification';
export { believedDelayCapsMs, classifyResponse, type ResponseFacts } from './classification/classify-response';
export { classifyTransportError } from './classification/classify-transport-error';

// Breaker, cooldowns, selection, budgets
export {
  admitThroughBreaker, breakerAllows, closedBreaker, openDuration, recordBreakerResult,
  type BreakerAdmission, type BreakerOptions, type BreakerPosition, type BreakerResult, type BreakerState,
} from './breaker/breaker';
export { decideCooldown, laterDeadline, type CooldownDecision, type CooldownOptions } from './cooldown/cooldown';
export {
  createModelCooldowns, liveModelCooldowns, maxModelCooldowns, modelCooldownUntil, noModelCooldowns, withModelCooldown, type ModelCooldowns,
} from './cooldown/model-cooldowns';

// Secrets: what leaves the process is scrubbed of upstream credentials
export { createSecretScrubber, endpointSecrets, redactedMarker, type Scrub, type SecretBearingEndpoint } from './secrets/secret-scrubber';
export { pickSmoothWeighted, type SmoothWeightedState, type WeightedPeer } from './selection/smooth-weighted';
export { loadOf, pickPeakEwma, recordLatency, trackPending, type LatencyState, type PeakEwmaOptions } from './selection/peak-ewma';
export { createSelectionState, selectEndpoint, type SelectionCandidate, type SelectionState } from './selection/select-endpoint';
export {
  depositRequest, emptyRetryBudget, retriesAvailable, spendRetry, type RetryBudgetOptions, type RetryBudgetState,
} from './budget/retry-budget';
export { startDeadline, type Deadline } from './budget/deadline';

// Pricing
export { defaultPriceTable, priceTableVersion, type ModelPrice } from './pricing/price-table';
export { createPriceBook, type PriceBook } from './pricing/price-book';
export { readUsage, type Usage } from './pricing/usage';

// Streaming
export { createSseWatcher, type SseWatcher } from './streaming/sse-watcher';
export { guardStream, type GuardStreamOptions, type StreamEndCause, type StreamSettlement } from './streaming/guard-stream';
export { createUsageChunkFilter, type ChunkFilter } from './streaming/usage-chunk-filter';

// fetch: the drop-in surface that @detour/node and @detour/edge hand out
export { createDetourFetch, type DetourFetch } from './fetch/create-detour-fetch';
export { errorResponse, openAiErrorBody, retryAfterSeconds, statusOfCode } from './fetch/error-response';
export { readRequestBody, type BufferedBody } from './fetch/read-request-body';
export { setDetourHeaders, toReadableStream, toResponse, toWebHeaders, unrelayedHeaders } from './fetch/to-response';
