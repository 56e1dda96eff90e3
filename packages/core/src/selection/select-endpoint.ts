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
  /**
   * Until when each endpoint that answered overloaded, naming no delay, is passed over while another can take the
   * request (a soft cooldown, see `CooldownDecision`). Keyed by configured endpoint names, so bounded.
   */
  readonly overloaded: Map<string, number>;
}

/** A fresh selection state. */
export const createSelectionState = (): SelectionState => ({ weighted: new Map(), latency: new Map(), overloaded: new Map() });

/**
 * The pool without the endpoints resting after an overload (`SelectionState.overloaded`), unless that would leave it
 * empty: a soft cooldown passes an endpoint over, it never refuses a request. The same array when nothing rests.
 */
export const withoutResting = <Candidate extends SelectionCandidate>(
  pool: Candidate[], overloaded: ReadonlyMap<string, number>, now: number,
): Candidate[] => {
  if (overloaded.size === 0 || pool.length === 0) return pool;
  const rested = pool.filter((candidate) => (overloaded.get(candidate.name) ?? 0) <= now);
  return rested.length > 0 ? rested : pool;
};

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
