import { openaiErrorBody } from '../openai/error-body';
import type { ErrorReply } from './error-reply';
import { jsonErrorReply } from './error-reply';

/**
 * OpenAI's 429 for an account out of credit. It shares the status with rate limiting, but waiting will not clear
 * it: only the body's `insufficient_quota` tells a client to fail over instead of retrying.
 */
export function insufficientQuotaReply(): ErrorReply {
  const message =
    'You exceeded your current quota, please check your plan and billing details. For more information on this ' +
    'error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.';
  return jsonErrorReply(429, openaiErrorBody(message, 'insufficient_quota', 'insufficient_quota'));
}

/**
 * OpenAI's 400 for a prompt longer than the model's window (128,000 tokens unless `window` says otherwise); only a model with a larger window can serve it. The
 * Responses API words it differently and names `input` rather than `messages`.
 */
export function contextLengthReply(promptTokens: number, responsesApi = false, window?: number): ErrorReply {
  if (responsesApi) {
    const message = 'Your input exceeds the context window of this model. Please adjust your input and try again.';
    return jsonErrorReply(400, openaiErrorBody(message, 'invalid_request_error', 'context_length_exceeded', 'input'));
  }
  const limit = window ?? 128_000;
  const requested = window === undefined ? Math.max(promptTokens, limit + 1) : promptTokens;
  const message =
    `This model's maximum context length is ${limit} tokens. However, your messages resulted in ${requested} tokens. ` +
    'Please reduce the length of the messages.';
  return jsonErrorReply(400, openaiErrorBody(message, 'invalid_request_error', 'context_length_exceeded', 'messages'));
}

/** OpenAI's 401 for a bad key, echoing a masked key the way OpenAI does. */
export function unauthorizedReply(authorization: string | undefined): ErrorReply {
  const key = authorization?.replace(/^Bearer\s+/i, '') ?? '';
  const masked = key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : '*****';
  const message =
    `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  return jsonErrorReply(401, openaiErrorBody(message, 'invalid_request_error', 'invalid_api_key'));
}

/** OpenAI's 404 for a path it does not serve. */
export function notFoundReply(method: string, path: string): ErrorReply {
  return jsonErrorReply(404, openaiErrorBody(`Invalid URL (${method} ${path})`, 'invalid_request_error'));
}

/** OpenAI's 400 for a body that is not JSON. */
export function invalidJsonReply(): ErrorReply {
  const message =
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library " +
    'correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)';
  return jsonErrorReply(400, openaiErrorBody(message, 'invalid_request_error'));
}
