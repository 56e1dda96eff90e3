import type { Random } from '../ports/random';

/** Settings of latency-aware choice. */
export interface PeakEwmaOptions {
  /** Time constant τ of the moving average. @default 10000 */
  readonly decayMs: number;
  /** The cost of an endpoint with no history, so new endpoints get traffic. @default 30 */
  readonly defaultRttMs: number;
  /** The cost charged for a failed attempt, so failing fast never looks cheap. @default 5000 */
  readonly failurePenaltyMs: number;
}

/** One endpoint's latency estimate and outstanding requests. */
export interface LatencyEstimate {
  costMs: number;
  updatedAt: number;
  pending: number;
}

/** Latency estimates by endpoint name; local to one instance. */
export type LatencyState = Map<string, LatencyEstimate>;

const estimateOf = (state: LatencyState, name: string, now: number, options: PeakEwmaOptions): LatencyEstimate => {
  let estimate = state.get(name);
  if (!estimate) {
    estimate = { costMs: options.defaultRttMs, updatedAt: now, pending: 0 };
    state.set(name, estimate);
  }
  return estimate;
};

/**
 * Records an attempt's round trip. A sample above the estimate replaces it (the "peak"); a lower one is blended
 * in with weight `e^(−Δt/τ)`. A failure is recorded as at least `failurePenaltyMs`: a fast 429 or 500 must make
 * an endpoint look worse, never cheaper (the known pitfall of Peak EWMA, which ignores errors).
 */
export const recordLatency = (
  state: LatencyState,
  name: string,
  { rttMs, failed, now }: { rttMs: number; failed: boolean; now: number },
  options: PeakEwmaOptions,
): void => {
  const estimate = estimateOf(state, name, now, options);
  const sample = failed ? Math.max(rttMs, options.failurePenaltyMs) : Math.max(0, rttMs);
  if (sample > estimate.costMs) {
    estimate.costMs = sample;
  } else {
    const weight = Math.exp(-Math.max(0, now - estimate.updatedAt) / options.decayMs);
    estimate.costMs = weight * estimate.costMs + (1 - weight) * sample;
  }
  estimate.updatedAt = now;
};

/** Marks a request as outstanding (+1) or finished (−1) on an endpoint. */
export const trackPending = (state: LatencyState, name: string, delta: 1 | -1, now: number, options: PeakEwmaOptions): void => {
  const estimate = estimateOf(state, name, now, options);
  estimate.pending = Math.max(0, estimate.pending + delta);
};

/** `cost × (pending + 1) / weight`; the cost decays towards zero while the endpoint is idle. */
export const loadOf = (state: LatencyState, name: string, weight: number, now: number, options: PeakEwmaOptions): number => {
  const estimate = estimateOf(state, name, now, options);
  const idleDecay = Math.exp(-Math.max(0, now - estimate.updatedAt) / options.decayMs);
  return (estimate.costMs * idleDecay * (estimate.pending + 1)) / weight;
};

/**
 * Power of two choices over Peak EWMA load: draws two distinct peers and keeps the less loaded one.
 */
export const pickPeakEwma = <Peer extends { readonly name: string; readonly weight: number }>(
  peers: readonly Peer[],
  state: LatencyState,
  { now, random, options }: { now: number; random: Random; options: PeakEwmaOptions },
): Peer | undefined => {
  if (peers.length <= 1) return peers[0];
  const first = Math.min(peers.length - 1, Math.floor(random() * peers.length));
  let second = Math.min(peers.length - 2, Math.floor(random() * (peers.length - 1)));
  if (second >= first) second += 1;
  const a = peers[first]!;
  const b = peers[second]!;
  return loadOf(state, b.name, b.weight, now, options) < loadOf(state, a.name, a.weight, now, options) ? b : a;
};
