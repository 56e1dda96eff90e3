/** A complete non-2xx answer: status, headers beyond the common ones, and the serialised body. */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /**
   * Whether the answering API's usual rate-limit headers (OpenAI's `x-ratelimit-*`, Anthropic's
   * `anthropic-ratelimit-*`) belong on this answer. False for 429s, which carry their own provider's headers and
   * would otherwise be contradicted by a set that says quota remains.
   */
  rateHeaders: boolean;
}

/** An OpenAI-dialect JSON error reply. */
export function jsonErrorReply(status: number, body: string, headers: Record<string, string> = {}): ErrorReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body, rateHeaders: true };
}
