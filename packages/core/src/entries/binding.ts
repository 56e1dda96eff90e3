// @detour/core/binding: what a binding (@detour/node, @detour/edge) or a gateway builds on — the runtime ports and
// their defaults, and the pieces that turn a routed result or a router error into an HTTP answer.

export type { Clock } from '../ports/clock';
export { systemClock } from '../ports/system-clock';
export { createSleep, type Sleep } from '../ports/sleep';
export { defaultRandom, type Random } from '../ports/random';
export type {
  DescribeTransportError, Transport, TransportErrorDescription, TransportRequest, TransportResponse, UpstreamHeaders,
} from '../ports/transport';
export { describeTransportError } from '../ports/describe-transport-error';
export { isReplayable } from '../apis/replayable-request';
export { concatBytes } from '../engine/concat-bytes';
export { maxModelNameLength } from '../apis/model-name';
export { readStreamLimited } from '../fetch/read-stream-limited';
export { anthropicErrorBody, errorResponse, openAiErrorBody, retryAfterSeconds, statusOfCode } from '../fetch/error-response';
export { readRequestBody, type BufferedBody } from '../fetch/read-request-body';
export { connectionListedHeaders, isDetourHeader, modelHeaderValue, setDetourHeaders, toReadableStream, toResponse, toWebHeaders, unrelayedHeaders } from '../fetch/to-response';
export { formatPath, toIssues } from '../options/to-issues';
export { validate, type RefineContext, type Rule, type RuleCheck, type RuleIssue } from '../options/rules';
export { englishMessage } from '../options/english-messages';
export { endpointSecrets, redactedMarker, type SecretBearingEndpoint } from '../secrets/secret-scrubber';
// The option schemas (zod) are not here but in `@detour/core/schemas`: importing this entry must not load zod.
export { interruptedStreamEvent } from '../streaming/interrupted-event';
