/**
 * Upper bounds (ms) of the latency buckets: a fixed histogram per series and time bucket keeps memory constant
 * however many requests pass, at the price of quantiles accurate to the bucket (interpolated within it).
 */
export const latencyBoundsMs: readonly number[] = [
  5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 20_000, 30_000, 60_000, 120_000,
];

/** An empty histogram: one count per bound, plus one for everything above the last. */
export const emptyHistogram = (): number[] => new Array<number>(latencyBoundsMs.length + 1).fill(0);

/** Counts one observation of `ms`. */
export const observe = (histogram: number[], ms: number): void => {
  let index = 0;
  while (index < latencyBoundsMs.length && ms > latencyBoundsMs[index]!) index += 1;
  histogram[index]! += 1;
};

/** Adds `from` into `into`, bucket by bucket. */
export const mergeInto = (into: number[], from: readonly number[]): void => {
  for (let index = 0; index < into.length; index += 1) into[index]! += from[index] ?? 0;
};

/**
 * The `q` quantile (0–1) in ms, interpolated linearly within its bucket; undefined when nothing was observed.
 * Observations above the last bound report that bound (the histogram cannot say more).
 */
export const quantile = (histogram: readonly number[], q: number): number | undefined => {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (let index = 0; index < histogram.length; index += 1) {
    const count = histogram[index]!;
    if (count > 0 && seen + count >= rank) {
      const lower = index === 0 ? 0 : latencyBoundsMs[index - 1]!;
      const upper = latencyBoundsMs[index] ?? lower;
      return Math.round(lower + (upper - lower) * Math.min(1, Math.max(0, (rank - seen) / count)));
    }
    seen += count;
  }
  return latencyBoundsMs[latencyBoundsMs.length - 1];
};
