import { parseHttpDate } from './parse-http-date';

// delay-seconds is 1*DIGIT in RFC 9110, but the official SDKs parse a float, so `1.5` means 1500 ms here too.
const delaySeconds = /^\d+(?:\.\d+)?$/;

/**
 * Milliseconds to wait from a `Retry-After` value: delta-seconds (fractions accepted as the SDKs do) or an
 * HTTP-date in any of its three forms, measured from `nowMs` (pass the response's `Date` when it has one).
 * A date in the past means 0. Anything else (negative, text, empty, absurdly large) is undefined: the caller
 * moves on to the next signal. Never throws; never returns a negative, NaN or infinite delay.
 *
 * @example parseRetryAfter('20', now) // 20000
 * @example parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:30 GMT')) // 30000
 */
export const parseRetryAfter = (value: string, nowMs: number): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (delaySeconds.test(text)) {
    const delayMs = Math.ceil(Number(text) * 1000);
    return Number.isFinite(delayMs) ? delayMs : undefined;
  }
  if (!Number.isFinite(nowMs)) return undefined;
  const at = parseHttpDate(text, nowMs);
  return at === undefined ? undefined : Math.max(0, at - nowMs);
};

/**
 * Milliseconds from a `retry-after-ms` style header (Azure, OpenAI). Azure's `-1` and other negatives are a
 * sentinel for "unknown", not "retry now", so they read as undefined.
 */
export const parseRetryAfterMs = (value: string): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^\d+(?:\.\d+)?$/.test(text)) return undefined;
  const delayMs = Math.ceil(Number(text));
  return Number.isFinite(delayMs) ? delayMs : undefined;
};
