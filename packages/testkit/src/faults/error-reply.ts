/** A complete non-2xx answer: status, headers beyond the common ones, and the serialised body. */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /**
   * Whether the common OpenAI `x-ratelimit-*` headers belong on this answer. False for other providers' 429s, whose
   * own rate-limit headers would otherwise contradict an OpenAI set that says quota remains.
   */
  openaiRateHeaders: boolean;
}

/** An OpenAI-dialect JSON error reply. */
export function jsonErrorReply(status: number, body: string, headers: Record<string, string> = {}): ErrorReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body, openaiRateHeaders: true };
}
