import { parseProtoDuration, parseResetDuration } from './parse-reset-duration';

/** The parts of a provider's error body that change what Detour does, whatever the provider's shape. */
export interface ProviderError {
  /** OpenAI `error.type`, Anthropic `error.type`, or Gemini `error.status` (e.g. `RESOURCE_EXHAUSTED`). */
  readonly type: string | undefined;
  /** OpenAI `error.code` (e.g. `insufficient_quota`); OpenRouter's numeric code as text. */
  readonly code: string | undefined;
  readonly message: string;
  /** Gemini `RetryInfo.retryDelay`, in ms. */
  readonly retryDelayMs: number | undefined;
  /** Gemini `QuotaFailure` quota ids, which tell per-minute from per-day limits. */
  readonly quotaIds: readonly string[];
  /** OpenRouter `metadata.headers.X-RateLimit-Reset`: an instant in epoch milliseconds. */
  readonly resetAtMs: number | undefined;
  /** OpenRouter `metadata.headers.X-RateLimit-Remaining`. */
  readonly remaining: number | undefined;
  /** OpenRouter `metadata.limit_source`, e.g. `openrouter_free_tier_daily`. */
  readonly limitSource: string | undefined;
  /** The wait in OpenAI's "Please try again in 1.146s." text (or Azure's "Please retry after 6 seconds."), in ms. */
  readonly tryAgainMs: number | undefined;
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
/**
 * An error's `type` or `code`: a provider's label (`insufficient_quota`, `RESOURCE_EXHAUSTED`), never long. A longer
 * one is no label Detour knows, and would travel far: the code is part of the attempt's reason, which is written to
 * the endpoint's cooldown in a shared store, kept by the dashboard's timeline and sent with events and spans; an
 * upstream's 64 KiB `code` was all of that (attack 23).
 */
const label = (value: unknown): string | undefined => {
  const found = text(value);
  return found !== undefined && found.length <= 128 ? found : undefined;
};
const tryAgain = /try again in\s+((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)/i;
// Azure OpenAI's "Please retry after 6 seconds." (often with no header to say it) and its API Management's "Try
// again in 5 seconds.".
const inSeconds = /(?:try again in|retry after)\s+(\d{1,9}(?:\.\d+)?)\s*sec(?:ond)?s?\b/i;

/** The wait a message asks for in words, in ms. */
const hintedWaitMs = (message: string): number | undefined => {
  const hint = tryAgain.exec(message);
  if (hint) return parseResetDuration(hint[1]!);
  const seconds = inSeconds.exec(message);
  return seconds ? Number(seconds[1]) * 1000 : undefined;
};

const readHeaderInsensitive = (headers: unknown, name: string): string | undefined => {
  if (!isRecord(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return text(value);
  return undefined;
};

const parseBody = (body: unknown): unknown => {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
};

/**
 * Reads an error body in any provider's dialect: OpenAI `{error:{message,type,code}}`, Anthropic
 * `{type:'error',error:{type,message}}`, OpenRouter `{error:{code,message,metadata}}`, Gemini `{error:{status,
 * details}}`, including Gemini's habit of wrapping it in a JSON array. Takes the parsed body or its text; plain
 * text bodies still yield their "try again in" hint. Never throws.
 */
export const readErrorBody = (body: unknown): ProviderError | undefined => {
  let parsed = parseBody(body);
  // Gemini's OpenAI-compatible endpoint can answer `[{"error":{…}}]`: unwrap first.
  if (Array.isArray(parsed)) parsed = parsed[0];
  if (typeof parsed === 'string') {
    return {
      type: undefined, code: undefined, message: parsed.slice(0, 500), retryDelayMs: undefined, quotaIds: [],
      resetAtMs: undefined, remaining: undefined, limitSource: undefined,
      tryAgainMs: hintedWaitMs(parsed),
    };
  }
  if (!isRecord(parsed)) return undefined;
  const error = isRecord(parsed.error) ? parsed.error : parsed;
  const message = text(error.message) ?? (typeof parsed.error === 'string' ? parsed.error : '');
  const type = label(error.type) ?? label(error.status);
  const code = label(error.code);

  let retryDelayMs: number | undefined;
  const quotaIds: string[] = [];
  if (Array.isArray(error.details)) {
    for (const detail of error.details) {
      if (!isRecord(detail)) continue;
      retryDelayMs ??= parseProtoDuration(detail.retryDelay);
      if (Array.isArray(detail.violations)) {
        for (const violation of detail.violations) {
          const quotaId = isRecord(violation) ? text(violation.quotaId) : undefined;
          if (quotaId) quotaIds.push(quotaId);
        }
      }
    }
  }

  const metadata = isRecord(error.metadata) ? error.metadata : undefined;
  const resetText = readHeaderInsensitive(metadata?.headers, 'x-ratelimit-reset');
  const remainingText = readHeaderInsensitive(metadata?.headers, 'x-ratelimit-remaining');
  const resetAtMs = resetText !== undefined && /^\d+$/.test(resetText.trim()) ? Number(resetText) : undefined;
  const remaining = remainingText !== undefined && /^\d+$/.test(remainingText.trim()) ? Number(remainingText) : undefined;

  return {
    type, code, message, retryDelayMs, quotaIds,
    resetAtMs: resetAtMs !== undefined && Number.isFinite(resetAtMs) ? resetAtMs : undefined,
    remaining,
    limitSource: text(metadata?.limit_source),
    tryAgainMs: hintedWaitMs(message),
  };
};
