const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const wholeDuration = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Milliseconds from a Go-style duration, as OpenAI and Groq send in `x-ratelimit-reset-*` and in "try again in
 * …" messages: decimal-and-unit pairs (`6m0s`, `1.5s`, `20ms`, `2m59.56s`), or a bare `0`. Anything else is
 * undefined. Sub-millisecond results round up, so "reset in 300µs" never reads as "now".
 *
 * @example parseResetDuration('6m0s') // 360000
 */
export const parseResetDuration = (value: string): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '0') return 0;
  if (!wholeDuration.test(text)) return undefined;
  // An exec loop rather than matchAll: proxies read these on every response, and the iterator is garbage.
  let total = 0;
  part.lastIndex = 0;
  for (let match = part.exec(text); match !== null; match = part.exec(text)) total += Number(match[1]) * unitMs[match[2]!]!;
  const delayMs = Math.ceil(total);
  return Number.isFinite(delayMs) ? delayMs : undefined;
};

/** Milliseconds from a protobuf Duration in JSON (`"46s"`, `"12.771204034s"`), as Gemini's `retryDelay` is. */
export const parseProtoDuration = (value: unknown): number | undefined => {
  if (typeof value !== 'string' || !/^\d+(?:\.\d+)?s$/.test(value.trim())) return undefined;
  const delayMs = Math.ceil(Number(value.trim().slice(0, -1)) * 1000);
  return Number.isFinite(delayMs) ? delayMs : undefined;
};
