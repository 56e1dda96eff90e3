import type { ErrorReply } from '../faults/error-reply';
import type { PromptCache } from '../anthropic/prompt-cache';
import type { ResponseStore } from './response-store';

/** Everything a reply builder needs about one request and the instance answering it. */
export interface ReplyContext {
  /** Unique per request; builders prefix it (`chatcmpl-`, `cmpl-`, `resp_`, `msg_`). */
  id: string;
  /** Unix seconds, from the instance clock. */
  created: number;
  /** The requested model. */
  model: string;
  /** The request path, e.g. `/v1/responses/resp_1` for a retrieval. */
  path: string;
  /**
   * The content of this answer, one piece per completion token and per stream chunk: a word, led by a space after
   * the first. A continuation of an assistant prefix holds only the rest of the answer (its first piece may finish
   * a word the prefix cut).
   */
  pieces: readonly string[];
  /** `pieces` joined, already JSON-encoded (quotes included). */
  contentJson: string;
  promptTokens: number;
  /** The parsed request body (empty for GET). */
  body: Record<string, unknown>;
  /** Request headers, lower-case names (Node joins repeated ones). */
  headers: Record<string, string | undefined>;
  /** The `x-request-id` / `request-id` of this answer, quoted in Anthropic error bodies. */
  requestId: string;
  /** Responses stored by `POST /v1/responses` on this instance. */
  responses: ResponseStore;
  /** Prompt prefixes marked with `cache_control` that this instance has "cached". */
  promptCache: PromptCache;
}

/** Which event a `stream-error-event` fault sends; only the Responses API has more than one. */
export type StreamErrorVariant = 'error' | 'error-nested' | 'response.failed';

/** What a stream reply needs beyond its healthy events to break the way its API breaks. */
interface StreamBreaks {
  /** An event whose JSON stops mid-object, followed by whatever this API sends after it (the `malformed-sse` fault). */
  malformed: string;
  /** The API's mid-stream error event, given how many events were already sent (the `stream-error-event` fault). */
  errorEvent: (sent: number, variant: StreamErrorVariant) => string;
}

/** Where a stream's content is, so that faults can break it after an exact number of tokens. */
export interface StreamContent {
  /** Index of the event carrying the first content piece (after the role chunk, `response.created`, …). */
  contentStart: number;
  /** Content events, one per piece, from `contentStart` on. */
  contentCount: number;
  /** What the API sends to keep an idle stream open (an SSE comment, or Anthropic's `ping`). */
  keepAlive: string;
}

/** The keep-alive of OpenAI-style streams: an SSE comment, which clients skip. */
export const SSE_KEEP_ALIVE: string = ': keep-alive\n\n';

/**
 * A healthy answer, built before any bytes go out so that faults such as `slow-body` or `cut-stream` can replay
 * it with delays or stop part way. `commit` runs only when the healthy answer is actually delivered (no scripted
 * error replaced it), for side effects such as storing a response or warming the prompt cache.
 */
export type PreparedReply =
  | { kind: 'json'; body: string; tokens: number; commit?: () => void }
  | ({
      kind: 'stream'; events: string[]; tokens: number; commit?: () => void;
      /**
       * The index of an event that follows the one before it at once, without the pacing delay: the usage chunk,
       * which a provider sends together with the finish chunk because it generates nothing.
       */
      unpacedEvent?: number;
    } & StreamBreaks & StreamContent)
  /** The request itself is invalid (a missing header, an unknown id): answered before any script rule. */
  | { kind: 'invalid'; reply: ErrorReply; outcome: string; tokens: 0 };

/** Whether the body asked for a stream. */
export function wantsStream(body: Record<string, unknown>): boolean {
  return body.stream === true;
}

/** Whether the body asked for a closing usage chunk (`stream_options.include_usage`). */
export function wantsStreamUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options;
  return options !== null && typeof options === 'object' && (options as { include_usage?: unknown }).include_usage === true;
}

/** Formats one server-sent event the way OpenAI's chat API does: a single `data:` line and a blank line. */
export function sseEvent(data: string): string {
  return `data: ${data}\n\n`;
}

/** Formats a named server-sent event, as the Responses and Messages APIs send them. */
export function namedSseEvent(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/** The terminator of every chat and completions stream. */
export const SSE_DONE: string = 'data: [DONE]\n\n';
