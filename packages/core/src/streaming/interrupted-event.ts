import type { ApiName } from '../apis/api-name';

const encoder = new TextEncoder();

/**
 * The SSE event that ends a stream Detour could not finish, in the API's own shape, so that every official SDK
 * raises it as an API error with its message: Anthropic's `error` event on Messages (of `anthropicType`, the type
 * the caller would have seen from the upstream, else `api_error`); elsewhere an `error` event whose data has a
 * top-level `error` object, which the openai SDK raises on every route (for the Responses API it also carries the
 * `type`, `code` and `message` of that API's own `error` event).
 */
export const interruptedStreamEvent = (message: string, api: ApiName | undefined, anthropicType = 'api_error'): Uint8Array => {
  const error = { message, type: 'stream_interrupted', code: 'stream_interrupted' };
  const data = api === 'messages'
    ? { type: 'error', error: { type: anthropicType, message } }
    : api === 'responses'
      ? { type: 'error', code: error.code, message, param: null, error }
      : { error };
  return encoder.encode(`event: error\ndata: ${JSON.stringify(data)}\n\n`);
};
