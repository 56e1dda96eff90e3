import { breakerWith, closedBreaker, type BreakerState } from '../breaker/breaker';

/**
 * The part of a breaker a fleet shares: its position, how long it stays open, its generation and its trips. Window
 * counts and consecutive failures stay local to each instance: sharing them would cost a round trip per result.
 * Half-open is not shared either; every instance derives it from `open` and `openUntil`.
 */
export interface SharedBreaker {
  readonly position: 'open' | 'closed';
  readonly openUntil: number;
  readonly generation: number;
  readonly trips: number;
}

/** The shared part of a local breaker (half-open counts as open: it has not closed yet). */
export const shareBreaker = (breaker: BreakerState): SharedBreaker => ({
  position: breaker.position === 'closed' ? 'closed' : 'open',
  openUntil: breaker.openUntil,
  generation: breaker.generation,
  trips: breaker.trips,
});

/**
 * Merges two reports of one breaker. The Lua `transition` script of `@detour/redis` and the Durable Object of `@detour/cloudflare` apply
 * the same rules, and every instance applies them again when it adopts the fleet's view, so the order in which
 * reports arrive does not matter:
 *
 * - open and open: the later `openUntil` wins, and generation and trips take the larger of the two. Two instances
 *   that trip at once both keep the endpoint out until the later deadline.
 * - open and closed: the higher generation wins; on a tie the open wins. A close from a newer generation means a
 *   probe succeeded after that open was decided, so the open is stale. A tie means both were decided from the same
 *   state at once, and protecting the upstream is the safer guess.
 * - closed and closed: the higher generation.
 */
export const mergeSharedBreaker = (current: SharedBreaker | undefined, incoming: SharedBreaker): SharedBreaker => {
  if (current === undefined) return incoming;
  if (current.position === 'open' && incoming.position === 'open') {
    return {
      position: 'open',
      openUntil: Math.max(current.openUntil, incoming.openUntil),
      generation: Math.max(current.generation, incoming.generation),
      trips: Math.max(current.trips, incoming.trips),
    };
  }
  if (current.position === 'closed' && incoming.position === 'closed') {
    return incoming.generation > current.generation ? incoming : current;
  }
  const [open, closed] = current.position === 'open' ? [current, incoming] : [incoming, current];
  return open.generation >= closed.generation ? open : closed;
};

/** True when two shared breakers say the same thing. */
export const sameSharedBreaker = (left: SharedBreaker, right: SharedBreaker): boolean =>
  left.position === right.position && left.openUntil === right.openUntil && left.generation === right.generation && left.trips === right.trips;

/**
 * Adopts the fleet's report into a local breaker. The local breaker is returned unchanged when the merge keeps what
 * it already says, so an instance's half-open probes and failure counts survive a report that brings nothing new.
 */
export const adoptSharedBreaker = (local: BreakerState, fleet: SharedBreaker): BreakerState => {
  const current = shareBreaker(local);
  const merged = mergeSharedBreaker(current, fleet);
  if (sameSharedBreaker(merged, current)) return local;
  if (merged.position === 'closed') {
    // A newer generation of the same closed breaker keeps this instance's own failure counts.
    return breakerWith(local.position === 'closed' ? local : closedBreaker, { generation: merged.generation });
  }
  return breakerWith(closedBreaker, { position: 'open', openUntil: merged.openUntil, generation: merged.generation, trips: merged.trips });
};
