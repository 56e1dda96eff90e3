import { describe, expect, it } from 'vitest';
import { createLatencySampler } from './latency';
import { createSeededRandom } from './random';

const samples = (sampler: () => number, count: number): number[] => Array.from({ length: count }, sampler);
const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
};

describe('createLatencySampler', () => {
  it('always returns the fixed delay', () => {
    const sample = createLatencySampler({ type: 'fixed', ms: 25 }, createSeededRandom(1));
    expect(samples(sample, 5)).toEqual([25, 25, 25, 25, 25]);
  });

  it('centres a normal model on its mean and spreads it by its deviation', () => {
    const values = samples(createLatencySampler({ type: 'normal', meanMs: 200, stdDevMs: 20 }, createSeededRandom(3)), 20_000);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(198);
    expect(mean).toBeLessThan(202);
    expect(quantile(values, 0.84) - quantile(values, 0.5)).toBeGreaterThan(17);
    expect(quantile(values, 0.84) - quantile(values, 0.5)).toBeLessThan(23);
  });

  it('never returns a negative delay, even when the deviation dwarfs the mean', () => {
    const values = samples(createLatencySampler({ type: 'normal', meanMs: 5, stdDevMs: 100 }, createSeededRandom(9)), 5_000);
    expect(Math.min(...values)).toBe(0);
  });

  it('fits a long-tail model to its median and 99th percentile', () => {
    const values = samples(createLatencySampler({ type: 'long-tail', p50Ms: 200, p99Ms: 2_000 }, createSeededRandom(5)), 50_000);
    expect(quantile(values, 0.5)).toBeGreaterThan(190);
    expect(quantile(values, 0.5)).toBeLessThan(210);
    expect(quantile(values, 0.99)).toBeGreaterThan(1_800);
    expect(quantile(values, 0.99)).toBeLessThan(2_200);
  });

  it('repeats the same samples for the same seed', () => {
    const model = { type: 'long-tail', p50Ms: 100, p99Ms: 900 } as const;
    const first = samples(createLatencySampler(model, createSeededRandom(11)), 10);
    expect(samples(createLatencySampler(model, createSeededRandom(11)), 10)).toEqual(first);
  });
});
