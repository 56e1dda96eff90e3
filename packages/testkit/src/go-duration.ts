/** Rounds to at most three decimals and drops trailing zeros, the way Go prints fractional units. */
function trimDecimals(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/**
 * Formats milliseconds as a Go `time.Duration` string, the format OpenAI and Groq use in `x-ratelimit-reset-*`
 * headers (`6ms`, `1.5s`, `6m0s`, `2m59.56s`, `1h0m0s`).
 *
 * @example
 * formatGoDuration(360_000); // '6m0s'
 */
export function formatGoDuration(milliseconds: number): string {
  const ms = Math.max(0, milliseconds);
  if (ms === 0) return '0s';
  // Go switches to the smaller unit below one second instead of printing "0.006s".
  if (ms < 1000) return `${trimDecimals(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = trimDecimals((ms % 60_000) / 1000);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
