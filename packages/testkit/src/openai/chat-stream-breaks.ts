import { openaiErrorBody } from './error-body';
import { SSE_DONE, sseEvent } from './prepared-reply';

/** An event whose JSON stops mid-object, as a proxy that truncates a buffer would send it, then `[DONE]`. */
const MALFORMED: string =
  'data: {"id":"chatcmpl-malformed","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\n\n' + SSE_DONE;

/**
 * OpenAI's mid-stream failure on the chat and completions streams: a `data:` chunk holding only an `error` object,
 * then the connection closes without `[DONE]`. openai-node throws an `APIError` when it reads it.
 */
const ERROR_EVENT: string = sseEvent(
  openaiErrorBody('The server had an error while processing your request. Sorry about that!', 'server_error'),
);

/** How chat and legacy completion streams break: shared by both, built once. */
export const chatStreamBreaks: { malformed: string; errorEvent: () => string } = {
  malformed: MALFORMED,
  errorEvent: () => ERROR_EVENT,
};
