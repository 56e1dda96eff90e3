import { describe, expect, it } from 'vitest';
import { latencySchema } from '../options/router-options-schema';
import { loadOf, pickPeakEwma, recordLatency, trackPending, type LatencyState } from './peak-ewma';

const options = latencySchema.parse({});

describe('Peak EWMA with power of two choices', () => {
  it('takes a slower sample at once (the peak) and blends faster ones in', () => {
    const state: LatencyState = new Map();
    recordLatency(state, 'a', { rttMs: 500, failed: false, now: 0 }, options);
    expect(state.get('a')!.costMs).toBe(500);
    recordLatency(state, 'a', { rttMs: 100, failed: false, now: 10_000 }, options);
    const cost = state.get('a')!.costMs;
    expect(cost).toBeLessThan(500);
    expect(cost).toBeGreaterThan(100);
  });

  it('never lets a fast failure make an endpoint look cheap', () => {
    const state: LatencyState = new Map();
    recordLatency(state, 'a', { rttMs: 800, failed: false, now: 0 }, options);
    recordLatency(state, 'a', { rttMs: 2, failed: true, now: 1 }, options);
    expect(state.get('a')!.costMs).toBeGreaterThanOrEqual(options.failurePenaltyMs);
  });

  it('prefers the less loaded of the two endpoints it draws', () => {
    const state: LatencyState = new Map();
    recordLatency(state, 'slow', { rttMs: 900, failed: false, now: 0 }, options);
    recordLatency(state, 'fast', { rttMs: 50, failed: false, now: 0 }, options);
    const peers = [{ name: 'slow', weight: 1 }, { name: 'fast', weight: 1 }];
    for (const draw of [0, 0.3, 0.6, 0.99]) {
      expect(pickPeakEwma(peers, state, { now: 0, random: () => draw, options })!.name).toBe('fast');
    }
  });

  it('counts outstanding requests into the load', () => {
    const state: LatencyState = new Map();
    recordLatency(state, 'a', { rttMs: 100, failed: false, now: 0 }, options);
    const idle = loadOf(state, 'a', 1, 0, options);
    trackPending(state, 'a', 1, 0, options);
    expect(loadOf(state, 'a', 1, 0, options)).toBe(idle * 2);
  });
});
