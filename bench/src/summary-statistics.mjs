// Order statistics for the report. Percentiles use the nearest-rank method on sorted samples, so a p99 is always a
// latency that was actually observed.

/** The p-th percentile (0–100) of unsorted numbers; NaN for no samples. */
export const percentile = (values, p) => {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
};

/** Median with min and max across repetitions: how every figure in the report is given. */
export const spread = (values) => {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  // With an even count the median is the mean of the two middle values.
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
};

/** Milliseconds with a precision that suits their size. */
export const formatMs = (ms) => (Number.isFinite(ms) ? (Math.abs(ms) >= 100 ? ms.toFixed(0) : Math.abs(ms) >= 10 ? ms.toFixed(1) : ms.toFixed(2)) : 'n/a');

/** "+1.23" or "-0.05": a signed difference in milliseconds. */
export const formatSignedMs = (ms) => (Number.isFinite(ms) ? `${ms >= 0 ? '+' : ''}${formatMs(ms)}` : 'n/a');

/** "1.23 (0.98–1.50)": a median with its min–max. */
export const formatSpread = ({ median, min, max, n }, format = formatMs) =>
  n === 0 ? 'n/a' : n === 1 ? format(median) : `${format(median)} (${format(min)}–${format(max)})`;
