/** Everything a reply builder needs about one request and the instance answering it. */
export interface ReplyContext {
  /** Unique per request; builders prefix it (`chatcmpl-`, `cmpl-`). */
  id: string;
  /** Unix seconds, from the instance clock. */
  created: number;
  /** The requested model. */
  model: string;
  /** The instance's reply, one word per completion token and per stream chunk. */
  words: readonly string[];
  /** `words` joined with spaces, already JSON-encoded (quotes included). */
  contentJson: string;
  promptTokens: number;
  /** The parsed request body (empty for GET). */
  body: Record<string, unknown>;
}

/**
 * A healthy answer, built before any bytes go out so that faults such as `slow-body` or `cut-stream` can replay
 * it with delays or stop part way.
 */
export type PreparedReply =
  | { kind: 'json'; body: string; tokens: number }
  | { kind: 'stream'; events: string[]; tokens: number };

/** Whether the body asked for a stream. */
export function wantsStream(body: Record<string, unknown>): boolean {
  return body.stream === true;
}

/** Whether the body asked for a closing usage chunk (`stream_options.include_usage`). */
export function wantsStreamUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options;
  return options !== null && typeof options === 'object' && (options as { include_usage?: unknown }).include_usage === true;
}

/** Formats one server-sent event the way OpenAI does: a single `data:` line and a blank line. */
export function sseEvent(data: string): string {
  return `data: ${data}\n\n`;
}

/** The terminator of every OpenAI stream. */
export const SSE_DONE: string = 'data: [DONE]\n\n';
