import { closedBreaker, type FleetEndpointState } from '@detour/core/store';
import type { EndpointState } from '@detour/core';
import { describe, expect, it } from 'vitest';
import { fleetLostState, rejoinWrites } from './rejoin-writes';

// What a rejoin sends back, on its own: the fleet's state as read against this instance's.

const now = 1_000_000;
const local = (breaker: Partial<EndpointState['breaker']>, extra: Partial<EndpointState> = {}): [string, EndpointState] =>
  ['primary', { cooldownUntil: 0, disabledUntil: 0, modelCooldowns: {}, reason: undefined, ...extra, breaker: { ...closedBreaker, ...breaker } }];
const fleet = (breaker: FleetEndpointState['breaker'], extra: Partial<FleetEndpointState> = {}) =>
  new Map<string, FleetEndpointState>([['primary', { cooldownUntil: 0, disabledUntil: 0, modelCooldowns: {}, reason: undefined, ...extra, breaker }]]);

describe('rejoinWrites', () => {
  it('sends an open breaker the fleet holds open at the same generation but for less long (the review)', () => {
    const writes = rejoinWrites([local({ position: 'open', generation: 3, trips: 2, openUntil: now + 40_000 })], fleet({ position: 'open', generation: 3, trips: 1, openUntil: now + 5000 }), now);
    expect(writes).toEqual([{ kind: 'breaker', endpoint: 'primary', breaker: { position: 'open', generation: 3, trips: 2, openUntil: now + 40_000 } }]);
  });

  it('sends nothing the fleet already holds, and no close', () => {
    expect(rejoinWrites([local({ position: 'open', generation: 3, openUntil: now + 5000 }, { cooldownUntil: now + 1000 })], fleet({ position: 'open', generation: 3, trips: 1, openUntil: now + 5000 }, { cooldownUntil: now + 1000 }), now)).toEqual([]);
    expect(rejoinWrites([local({ position: 'closed', generation: 4 })], fleet({ position: 'open', generation: 1, trips: 1, openUntil: now + 5000 }), now)).toEqual([]);
  });

  it('sends every live deadline later than the fleet\'s, and none that has passed', () => {
    const writes = rejoinWrites(
      [local({}, { cooldownUntil: now + 2000, disabledUntil: now - 1, modelCooldowns: { a: now + 5000, b: now + 1000 }, reason: 'rate limited' })],
      fleet(undefined, { cooldownUntil: now + 1000, modelCooldowns: { b: now + 1000 } }), now,
    );
    expect(writes.map((write) => write.kind === 'deadline' && write.field)).toEqual(['cooldownUntil', 'model:a']);
  });

  it('sends the closed breaker of an endpoint a router routes to only where the fleet lost its breaker (the review of attack 19)', () => {
    const tracked = new Set(['primary']);
    const closed = local({ position: 'closed', generation: 4 });
    expect(rejoinWrites([closed], new Map(), now, tracked)).toEqual([{ kind: 'breaker', endpoint: 'primary', breaker: { position: 'closed', generation: 4, trips: 0, openUntil: 0 } }]);
    expect(rejoinWrites([closed], fleet(undefined), now, tracked)).toHaveLength(1);
    expect(fleetLostState([closed], new Map(), now, tracked)).toBe(true);
    // A name no router here routes to (an old configuration's, adopted from the fleet) is not put back, so it can leave.
    expect(rejoinWrites([closed], new Map(), now)).toEqual([]);
    expect(fleetLostState([closed], new Map(), now)).toBe(false);
    // Nor a breaker that never moved, nor over one the fleet holds.
    expect(rejoinWrites([local({})], new Map(), now, tracked)).toEqual([]);
    expect(rejoinWrites([closed], fleet({ position: 'open', generation: 1, trips: 1, openUntil: now + 5000 }), now, tracked)).toEqual([]);
  });
});
