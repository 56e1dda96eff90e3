import { laterDeadline, type EndpointState } from '@detour/core';
import { adoptSharedBreaker, type SharedBreaker } from './shared-breaker';

/** What a fleet knows about one endpoint: deadlines and the shared breaker, without any instance's local counts. */
export interface FleetEndpointState {
  readonly cooldownUntil: number;
  readonly disabledUntil: number;
  readonly modelCooldowns: Readonly<Record<string, number>>;
  readonly reason: string | undefined;
  /** Absent until some instance has reported a breaker transition. */
  readonly breaker: SharedBreaker | undefined;
}

/**
 * Folds the fleet's view of an endpoint into a local one. Deadlines only move later (a later deadline always wins,
 * so a report that arrives late or twice changes nothing) and the breaker follows {@link adoptSharedBreaker}.
 * Returns `local` itself when nothing changed, so callers can skip the write.
 */
export const adoptFleetState = (local: EndpointState, fleet: FleetEndpointState): EndpointState => {
  const cooldownUntil = laterDeadline(local.cooldownUntil, fleet.cooldownUntil);
  const disabledUntil = laterDeadline(local.disabledUntil, fleet.disabledUntil);
  let modelCooldowns = local.modelCooldowns;
  for (const [model, until] of Object.entries(fleet.modelCooldowns)) {
    if (until > (modelCooldowns[model] ?? 0)) modelCooldowns = { ...modelCooldowns, [model]: until };
  }
  const breaker = fleet.breaker ? adoptSharedBreaker(local.breaker, fleet.breaker) : local.breaker;
  const deadlinesMoved = cooldownUntil !== local.cooldownUntil || disabledUntil !== local.disabledUntil || modelCooldowns !== local.modelCooldowns;
  if (!deadlinesMoved && breaker === local.breaker) return local;
  return { breaker, cooldownUntil, disabledUntil, modelCooldowns, reason: deadlinesMoved ? (fleet.reason ?? local.reason) : local.reason };
};
