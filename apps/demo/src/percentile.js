/**
 * The p-th percentile (0–100) of a list of numbers, by the nearest-rank method: a value that was actually observed,
 * never an interpolation between two. Undefined for an empty list.
 *
 * @param {number[]} values
 * @param {number} p
 * @returns {number | undefined}
 */
export const percentile = (values, p) => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
};
