/** Running "current weights" of smooth weighted round robin, by endpoint name. */
export type SmoothWeightedState = Map<string, number>;

/** A peer as weighted round robin sees it. */
export interface WeightedPeer {
  readonly name: string;
  readonly weight: number;
}

/**
 * nginx's smooth weighted round robin: each pick adds every eligible peer's weight to its current weight, takes the
 * highest (the first wins ties) and subtracts the total from it. Weights 5:1:1 give a,a,b,a,c,a,a: spread out, not
 * five a's in a row. Skipped peers keep their current weight. Mutates `state`; returns the chosen peer.
 */
export const pickSmoothWeighted = <Peer extends WeightedPeer>(
  peers: readonly Peer[],
  state: SmoothWeightedState,
): Peer | undefined => {
  let best: Peer | undefined;
  let bestWeight = Number.NEGATIVE_INFINITY;
  let total = 0;
  for (const peer of peers) {
    const current = (state.get(peer.name) ?? 0) + peer.weight;
    state.set(peer.name, current);
    total += peer.weight;
    if (current > bestWeight) {
      best = peer;
      bestWeight = current;
    }
  }
  if (best) state.set(best.name, bestWeight - total);
  return best;
};
