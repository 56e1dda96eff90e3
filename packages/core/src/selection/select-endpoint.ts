import type { Random } from '../ports/random';
import { pickPeakEwma, type LatencyState, type PeakEwmaOptions } from './peak-ewma';
import { pickSmoothWeighted, type SmoothWeightedState } from './smooth-weighted';

/** An endpoint that may take the request now, as selection sees it. */
export interface SelectionCandidate {
  readonly name: string;
  readonly priority: number;
  readonly weight: number;
}

/** Selection's own state, kept per router instance. */
export interface SelectionState {
  readonly weighted: SmoothWeightedState;
  readonly latency: LatencyState;
}

/** A fresh selection state. */
export const createSelectionState = (): SelectionState => ({ weighted: new Map(), latency: new Map() });

/**
 * Picks one endpoint from those that may take the request now (callers have already dropped open, cooling,
 * disabled and already-tried ones): the lowest priority tier wins, then smooth weighted round robin or Peak
 * EWMA with power of two choices within it.
 */
export const selectEndpoint = <Candidate extends SelectionCandidate>(
  candidates: readonly Candidate[],
  { strategy, state, now, random, latency }: {
    strategy: 'weighted' | 'latency'; state: SelectionState; now: number; random: Random; latency: PeakEwmaOptions;
  },
): Candidate | undefined => {
  if (candidates.length <= 1) return candidates[0];
  let lowest = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) if (candidate.priority < lowest) lowest = candidate.priority;
  const tier = candidates.filter((candidate) => candidate.priority === lowest);
  if (tier.length === 1) return tier[0];
  return strategy === 'latency'
    ? pickPeakEwma(tier, state.latency, { now, random, options: latency })
    : pickSmoothWeighted(tier, state.weighted);
};
