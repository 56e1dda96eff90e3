import { laterDeadline } from '../cooldown/cooldown';
import { createModelCooldowns, liveModelCooldowns, modelCooldownUntil, type ModelCooldowns } from '../cooldown/model-cooldowns';
import type { EndpointState } from '../ports/state-store';
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

/** A prototype-free copy of the cooldowns still running at `now`. */
const liveCopy = (cooldowns: ModelCooldowns, now: number): Record<string, number> => {
  const copy = createModelCooldowns();
  for (const model of Object.keys(cooldowns)) {
    const until = modelCooldownUntil(cooldowns, model);
    if (until > now) copy[model] = until;
  }
  return copy;
};

/**
 * Folds the fleet's view of an endpoint into a local one. Deadlines only move later (a later deadline always wins,
 * so a report that arrives late or twice changes nothing) and the breaker follows {@link adoptSharedBreaker}.
 * Model cooldowns that ran out by `now` are dropped and at most core's `maxModelCooldowns` kept, in a map without a
 * prototype (model names are caller-chosen: `__proto__`). Returns `local` itself when nothing changed, so callers
 * can skip the write.
 */
export const adoptFleetState = (local: EndpointState, fleet: FleetEndpointState, now: number): EndpointState => {
  const cooldownUntil = laterDeadline(local.cooldownUntil, fleet.cooldownUntil);
  const disabledUntil = laterDeadline(local.disabledUntil, fleet.disabledUntil);
  let raised: Record<string, number> | undefined;
  for (const model of Object.keys(fleet.modelCooldowns)) {
    const until = modelCooldownUntil(fleet.modelCooldowns, model);
    if (until <= now || until <= modelCooldownUntil(raised ?? local.modelCooldowns, model)) continue;
    // Copy on the first change only: the common message changes nothing.
    raised ??= liveCopy(local.modelCooldowns, now);
    raised[model] = until;
  }
  const modelCooldowns = raised ? liveModelCooldowns(raised, now) : local.modelCooldowns;
  const breaker = fleet.breaker ? adoptSharedBreaker(local.breaker, fleet.breaker) : local.breaker;
  const deadlinesMoved = cooldownUntil !== local.cooldownUntil || disabledUntil !== local.disabledUntil || modelCooldowns !== local.modelCooldowns;
  if (!deadlinesMoved && breaker === local.breaker) return local;
  return { breaker, cooldownUntil, disabledUntil, modelCooldowns, reason: deadlinesMoved ? (fleet.reason ?? local.reason) : local.reason };
};
