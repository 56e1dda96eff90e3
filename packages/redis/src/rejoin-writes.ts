import { type FleetEndpointState, modelCooldownUntil, shareBreaker, type SharedBreaker } from '@detour/core/store';
import type { EndpointState } from '@detour/core';
import { endpointFields, modelField } from './endpoint-hash';

/** One write that puts a piece of this instance's live state back in Redis. */
export type RejoinWrite =
  | {
    readonly kind: 'deadline'; readonly endpoint: string; readonly field: string; readonly until: number; readonly reason: string;
    /** A disable's credential fingerprint (see core's `EndpointState.disabledBy`). */
    readonly credential?: string | undefined;
  }
  | { readonly kind: 'breaker'; readonly endpoint: string; readonly breaker: SharedBreaker };

/**
 * Whether the fleet has lost the breaker of an endpoint this instance routes to (`tracked`) and has moved: its hash
 * expired (two idle days) or was deleted. Its generation count is live state: a member that then opened the breaker
 * at generation 1 on the empty hash was not heard by one holding a close at generation 4 (a close of a later
 * generation wins), which went on sending to the endpoint the fleet held open.
 */
const lostBreaker = (endpoint: string, state: EndpointState, fleet: ReadonlyMap<string, FleetEndpointState>, tracked: ReadonlySet<string>): boolean =>
  state.breaker.generation > 0 && tracked.has(endpoint) && fleet.get(endpoint)?.breaker === undefined;

/**
 * What this instance holds that the fleet's state (as the reload just read it, in this instance's time) lacks: each
 * live deadline later than the fleet's, each open breaker unless the fleet holds it open at the same generation
 * until as late, and the breaker of an endpoint it routes to whose shared breaker the fleet lost. What the instance
 * adopted from the fleet is not sent back: a member joining a fleet with thousands of model cooldowns wrote them all
 * again, past the command timeout, and never joined.
 */
export const rejoinWrites = (
  entries: Iterable<[string, EndpointState]>, fleet: ReadonlyMap<string, FleetEndpointState>, now: number, tracked: ReadonlySet<string> = new Set(),
): RejoinWrite[] => {
  const writes: RejoinWrite[] = [];
  for (const [endpoint, state] of entries) {
    const held = fleet.get(endpoint);
    const reason = state.reason ?? '';
    const deadline = (field: string, until: number, heldUntil: number, credential?: string) => {
      if (until > now && until > heldUntil) writes.push({ kind: 'deadline', endpoint, field, until, reason, credential });
    };
    deadline(endpointFields.cooldownUntil, state.cooldownUntil, held?.cooldownUntil ?? 0);
    // Another credential's disable in the fleet does not hold this one (each credential keeps its own).
    const heldDisable = held !== undefined && held.disabledBy === state.disabledBy ? held.disabledUntil : 0;
    deadline(endpointFields.disabledUntil, state.disabledUntil, heldDisable, state.disabledBy);
    for (const model of Object.keys(state.modelCooldowns)) {
      deadline(modelField(model), modelCooldownUntil(state.modelCooldowns, model), held ? modelCooldownUntil(held.modelCooldowns, model) : 0);
    }
    // Only an open breaker goes back: a close decided while cut off, with a generation count that went its own way,
    // beat a fresher open the fleet had decided meanwhile and closed it on every member. A close is no news the fleet
    // needs at once: its own probe closes the fleet's breaker.
    if (state.breaker.generation > 0 && state.breaker.position !== 'closed') {
      const breaker = shareBreaker(state.breaker);
      const fleetHolds = held?.breaker?.position === 'open' && held.breaker.generation === breaker.generation && held.breaker.openUntil >= breaker.openUntil;
      if (!fleetHolds) writes.push({ kind: 'breaker', endpoint, breaker });
    } else if (lostBreaker(endpoint, state, fleet, tracked)) {
      // A close goes back only where the fleet holds no breaker at all: over one, it could beat a fresher open.
      writes.push({ kind: 'breaker', endpoint, breaker: shareBreaker(state.breaker) });
    }
  }
  return writes;
};

/**
 * Whether Redis lost state this instance holds without the connection dropping (a FLUSHALL, an eviction, a restart
 * behind a proxy that kept the connection): an endpoint with a live deadline here that the fleet's state lacks (not
 * listed, or its hash gone), or an endpoint this instance routes to whose moved breaker the fleet no longer holds.
 */
export const fleetLostState = (
  entries: Iterable<[string, EndpointState]>, fleet: ReadonlyMap<string, FleetEndpointState>, now: number, tracked: ReadonlySet<string> = new Set(),
): boolean => {
  for (const [endpoint, state] of entries) {
    if (lostBreaker(endpoint, state, fleet, tracked)) return true;
    if (fleet.has(endpoint)) continue;
    if (state.cooldownUntil > now || state.disabledUntil > now) return true;
    for (const model of Object.keys(state.modelCooldowns)) if (modelCooldownUntil(state.modelCooldowns, model) > now) return true;
  }
  return false;
};

/** How many writes a rejoin has in flight at once: thousands at once queued past the 200 ms command timeout. */
export const rejoinWave = 64;

/** Runs `writes` at most {@link rejoinWave} at a time; rejects with the first failure. */
export const inWaves = async (writes: readonly (() => Promise<unknown>)[]): Promise<void> => {
  for (let start = 0; start < writes.length; start += rejoinWave) {
    await Promise.all(writes.slice(start, start + rejoinWave).map((write) => write()));
  }
};
