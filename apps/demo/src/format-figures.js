/** Milliseconds as the tables print them: whole ms, or "–" when there is nothing to show. */
export const formatMs = (ms) => (ms === undefined ? '–' : `${Math.round(ms).toLocaleString('en-US')} ms`);

/** A ratio in [0, 1] as a percentage with one decimal. */
export const formatPercent = (ratio) => (ratio === undefined ? '–' : `${(ratio * 100).toFixed(1)} %`);

/** US dollars with enough decimals for per-request amounts (list prices make a demo request cost fractions of a cent). */
export const formatUsd = (usd) => `$${usd.toFixed(4)}`;
