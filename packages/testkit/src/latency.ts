import type { Random } from './random';
import type { LatencyModel } from './types';

/** Returns the delay in ms for the next request. */
export type LatencySampler = () => number;

/** The z-score of the 99th percentile of a standard normal distribution. */
const Z_99 = 2.3263478740408408;

/** A standard normal draw by the Box-Muller transform; `1 - random()` keeps the logarithm away from zero. */
function standardNormal(random: Random): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return radius * Math.cos(2 * Math.PI * random());
}

/**
 * Builds a sampler for a latency model. `long-tail` is a log-normal fitted to the given median and 99th percentile,
 * the usual shape of LLM time-to-first-token. Samples are whole milliseconds and never negative.
 *
 * @example
 * const sample = createLatencySampler({ type: 'long-tail', p50Ms: 200, p99Ms: 2_000 }, createSeededRandom(7));
 */
export function createLatencySampler(model: LatencyModel, random: Random): LatencySampler {
  switch (model.type) {
    case 'fixed':
      return () => Math.max(0, Math.round(model.ms));
    case 'normal':
      return () => Math.max(0, Math.round(model.meanMs + model.stdDevMs * standardNormal(random)));
    case 'long-tail': {
      const mu = Math.log(Math.max(model.p50Ms, 1e-3));
      const sigma = Math.max(0, (Math.log(Math.max(model.p99Ms, 1e-3)) - mu) / Z_99);
      return () => Math.max(0, Math.round(Math.exp(mu + sigma * standardNormal(random))));
    }
  }
}
