// @detour/core: what an application uses. Every name here is a semver promise, so the list is short on purpose:
// store authors get `@detour/core/store`, bindings and gateways `@detour/core/binding`, tooling that reads provider
// signals `@detour/core/signals`, tests `@detour/core/testing`.

// The router
export { createRouter, type AdmissionHealth, type EndpointHealth, type RouteResult, type Router, type RouterDependencies } from './engine/router';
export type { RouteRequest } from './engine/prepare-request';
export type { AttemptRecord } from './engine/attempt-record';
export type { Disposable, RouterEvent } from './engine/events';
export type { OutcomeKind } from './classification/outcome-kind';
export type { BreakerPosition } from './breaker/breaker';

// Admission: priorities and what the quota model reports
export { parsePriority, priorities, priorityHeader, type Priority } from './quota/request-priority';
export type { AdmissionRefusal, QueueExit } from './quota/admission-queue';
export type { QuotaRemaining } from './quota/quota-tracker';
export type { QuotaDimension } from './quota/read-quota-headers';

// APIs: which routes belong to which API, and which endpoints speak each
export { apiNames, apiOfPath, type ApiName } from './apis/api-name';
export { defaultApis, endpointApis } from './apis/endpoint-apis';

// Options
export { parseRouterOptions } from './options/parse-router-options';
export type { RouterOptions, RouterOptionsInput } from './options/router-options-schema';
export type { Endpoint, EndpointInput } from './options/endpoint-schema';
export { providerNames } from './options/endpoint-values';

// Errors, each with a stable `code`
export { DetourError, type DetourErrorOptions } from './errors/detour-error';
export { InvalidOptionsError, type OptionsIssue } from './errors/invalid-options-error';
export { NoEndpointAvailableError } from './errors/no-endpoint-available-error';
export { AttemptsExhaustedError, type ExhaustedReason, type LastResponse } from './errors/attempts-exhausted-error';
export { AttemptTimeoutError, type TimeoutPhase } from './errors/attempt-timeout-error';
export { StreamInterruptedError } from './errors/stream-interrupted-error';
export { RouterClosedError } from './errors/router-closed-error';
export type { StreamEndCause } from './streaming/guard-stream';

// The drop-in fetch that @detour/node and @detour/edge hand out
export { createDetourFetch, type DetourFetch } from './fetch/create-detour-fetch';

// What a router runs on: injected, so any runtime (or a test) can supply them
export type { CallerSignal } from './ports/caller-signal';
export { AbortSource, toAbortSignal } from './budget/abort-source';
export type { Clock } from './ports/clock';
export type { Random } from './ports/random';
export type { Sleep } from './ports/sleep';
export type { Transport, TransportRequest, TransportResponse, UpstreamHeaders } from './ports/transport';
export type { EndpointState, StateStore } from './ports/state-store';
export { createMemoryStore, type MemoryStore } from './state/memory-store';

// Cost
export { defaultPriceTable, priceTableVersion, type ModelPrice } from './pricing/price-table';
export { createPriceBook, type PriceBook } from './pricing/price-book';
export { readUsage, type Usage } from './pricing/usage';

// Keeping upstream keys out of logs and answers
export { createSecretScrubber, type Scrub } from './secrets/secret-scrubber';

// Tracing: a port core drives from the router's events, and the OpenTelemetry adapter (docs/tracing.md)
export type { TraceAttributes, TraceAttributeValue, TraceSpan, Tracer } from './tracing/tracer';
export {
  openTelemetryTracer, type OpenTelemetryApiLike, type OpenTelemetrySpanLike, type OpenTelemetryTracerOptions,
} from './tracing/open-telemetry-tracer';
