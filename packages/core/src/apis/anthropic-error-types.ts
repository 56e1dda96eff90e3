/**
 * The HTTP status each of Anthropic's error types answers with (its API reference, Errors). Read both ways: the type
 * an error of Detour's answers with on the Messages API, and the status an error in Anthropic's envelope stands for
 * when a relay answers it with a 200.
 */
export const anthropicErrorStatus: Readonly<Record<string, number>> = Object.freeze({
  invalid_request_error: 400, authentication_error: 401, permission_error: 403, not_found_error: 404,
  request_too_large: 413, rate_limit_error: 429, api_error: 500, overloaded_error: 529,
});

const typeOfStatus = new Map(Object.entries(anthropicErrorStatus).map(([type, status]) => [status, type]));

/**
 * Anthropic's error `type` for a status: the table's, 503 as `overloaded_error` too (the SDK retries both), any other
 * 5xx `api_error` and any other status `invalid_request_error`.
 */
export const anthropicErrorType = (status: number): string =>
  typeOfStatus.get(status) ?? (status === 503 ? 'overloaded_error' : status >= 500 ? 'api_error' : 'invalid_request_error');
