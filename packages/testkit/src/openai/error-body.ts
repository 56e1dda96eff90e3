/**
 * Serialises an error in OpenAI's shape, `{"error":{"message","type","param","code"}}`, which every
 * OpenAI-compatible client knows how to read.
 *
 * @example
 * openaiErrorBody('Invalid URL (POST /v1/nope)', 'invalid_request_error');
 */
export function openaiErrorBody(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): string {
  return JSON.stringify({ error: { message, type, param, code } });
}
