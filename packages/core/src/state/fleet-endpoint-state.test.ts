import { describe, expect, it } from 'vitest';
import { createModelCooldowns } from '../cooldown/model-cooldowns';
import { adoptFleetState, fleetHorizonMs, type FleetEndpointState } from './fleet-endpoint-state';
import { initialEndpointState } from './memory-store';

const now = 1_800_000_000_000;
const fleet = (extra: Partial<FleetEndpointState>): FleetEndpointState => ({
  cooldownUntil: 0, disabledUntil: 0, modelCooldowns: createModelCooldowns(), reason: 'from the fleet', breaker: undefined, ...extra,
});
const models = (entries: Record<string, number>) => Object.assign(createModelCooldowns(), entries);

describe('adopting the fleet\'s view of an endpoint', () => {
  it('adopts deadlines up to a day ahead of this instance\'s clock', () => {
    const adopted = adoptFleetState(initialEndpointState, fleet({
      cooldownUntil: now + 20_000, disabledUntil: now + fleetHorizonMs, modelCooldowns: models({ 'gpt-4.1': now + 60_000 }),
    }), now);
    expect(adopted).toMatchObject({ cooldownUntil: now + 20_000, disabledUntil: now + fleetHorizonMs, reason: 'from the fleet' });
    expect(adopted.modelCooldowns['gpt-4.1']).toBe(now + 60_000);
  });

  it('does not adopt a deadline or an open breaker further ahead: a fast clock or a poisoned value took the endpoint from every member', () => {
    // A member 30 days fast, and values nobody could set (attack 7, R1: every member answered 503 until all restarted).
    for (const far of [now + 30 * fleetHorizonMs, 9e15, 1e308]) {
      const poisoned = fleet({
        cooldownUntil: far, disabledUntil: far, modelCooldowns: models({ 'gpt-4.1': far }),
        breaker: { position: 'open', openUntil: far, generation: 1_000_000_000, trips: 3 },
      });
      expect(adoptFleetState(initialEndpointState, poisoned, now)).toBe(initialEndpointState);
    }
    // A sound deadline beside a poisoned one is still adopted.
    const mixed = adoptFleetState(initialEndpointState, fleet({ cooldownUntil: now + 5_000, disabledUntil: 9e15 }), now);
    expect(mixed).toMatchObject({ cooldownUntil: now + 5_000, disabledUntil: 0 });
  });

  it('keeps the breaker of a fleet that opened it within the horizon', () => {
    const adopted = adoptFleetState(initialEndpointState, fleet({ breaker: { position: 'open', openUntil: now + 30_000, generation: 1, trips: 1 } }), now);
    expect(adopted.breaker).toMatchObject({ position: 'open', openUntil: now + 30_000 });
  });
});
