import { isDigitCode } from './ascii-digits';

// Two-letter units first, so `ms` is never read as `m` and then `s`.
const unitMs = new Map([['ns', 1e-6], ['us', 1e-3], ['\u00b5s', 1e-3], ['\u03bcs', 1e-3], ['ms', 1], ['s', 1000], ['m', 60_000], ['h', 3_600_000]]);

/**
 * Milliseconds from a Go-style duration, as OpenAI and Groq send in `x-ratelimit-reset-*` and in "try again in
 * …" messages: decimal-and-unit pairs (`6m0s`, `1.5s`, `20ms`, `2m59.56s`), or a bare `0`. Anything else is
 * undefined. Sub-millisecond results round up, so "reset in 300µs" never reads as "now". Read by a scan rather than
 * a regular expression: it runs on nearly every answer.
 *
 * @example parseResetDuration('6m0s') // 360000
 */
export const parseResetDuration = (value: string): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '0') return 0;
  if (text.length === 0) return undefined;
  let total = 0;
  let index = 0;
  while (index < text.length) {
    // A number: digits, a point and maybe digits, or a point and digits (`7`, `7.`, `7.5`, `.5`).
    const start = index;
    while (isDigitCode(text.charCodeAt(index))) index += 1;
    let digits = index > start;
    if (text[index] === '.') {
      const fraction = (index += 1);
      while (isDigitCode(text.charCodeAt(index))) index += 1;
      digits ||= index > fraction;
    }
    if (!digits) return undefined;
    const number = Number(text.slice(start, index));
    const two = text.slice(index, index + 2);
    const unit = unitMs.has(two) ? two : text.charAt(index);
    const scale = unitMs.get(unit);
    if (scale === undefined) return undefined;
    total += number * scale;
    index += unit.length;
  }
  const delayMs = Math.ceil(total);
  return Number.isFinite(delayMs) ? delayMs : undefined;
};

/** Milliseconds from a protobuf Duration in JSON (`"46s"`, `"12.771204034s"`), as Gemini's `retryDelay` is. */
export const parseProtoDuration = (value: unknown): number | undefined => {
  if (typeof value !== 'string' || !/^\d+(?:\.\d+)?s$/.test(value.trim())) return undefined;
  const delayMs = Math.ceil(Number(value.trim().slice(0, -1)) * 1000);
  return Number.isFinite(delayMs) ? delayMs : undefined;
};
