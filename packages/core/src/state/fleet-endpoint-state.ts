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
  /** The credential the disable was earned with (see `EndpointState.disabledBy`); absent: any credential. */
  readonly disabledBy?: string | undefined;
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
 * How far ahead of this instance's clock a deadline from the fleet may be: a day, the longest server-directed delay
 * core believes (a quota's or a key's reset). One further ahead is not adopted. Deadlines travel as each member's own
 * clock reads them, so a member whose clock ran a month fast, or a value nobody could have set (`9e15`, `1e308`),
 * took an endpoint from every member for as long as it said, and members wrote it back to a Redis that had been
 * emptied. (A clock within a day of the others' still moves shared deadlines by its error.)
 */
export const fleetHorizonMs = 86_400_000;

/** A fleet deadline as this instance believes it: 0 (none) past the horizon. */
const believed = (until: number, horizon: number): number => (until > horizon ? 0 : until);

/**
 * Folds the fleet's view of an endpoint into a local one. Deadlines only move later (a later deadline always wins,
 * so a report that arrives late or twice changes nothing); one past {@link fleetHorizonMs} from `now` is not adopted,
 * nor a breaker open past it. The breaker follows {@link adoptSharedBreaker}.
 * Model cooldowns that ran out by `now` are dropped and at most core's `maxModelCooldowns` kept, in a map without a
 * prototype (model names are caller-chosen: `__proto__`). Returns `local` itself when nothing changed, so callers
 * can skip the write.
 *
 * Disables are the credential's that earned them (`EndpointState.disabledBy`): between two of one credential the
 * later wins; the fleet's disable of another credential (the fleet's latest) replaces the local one, unless the local
 * one is live and `own`, the credential this instance raised its own disables with. So an instance keeps its own
 * credential's disable against an old key's, and one that has only adopted an old key's takes its own credential's
 * from the fleet when another member earns it.
 */
export const adoptFleetState = (local: EndpointState, fleet: FleetEndpointState, now: number, own?: string): EndpointState => {
  const horizon = now + fleetHorizonMs;
  const cooldownUntil = laterDeadline(local.cooldownUntil, believed(fleet.cooldownUntil, horizon));
  const fleetDisabled = believed(fleet.disabledUntil, horizon);
  const ownLive = own !== undefined && local.disabledBy === own && local.disabledUntil > now;
  const [disabledUntil, disabledBy] =
    fleet.disabledBy === local.disabledBy ? [laterDeadline(local.disabledUntil, fleetDisabled), local.disabledBy]
    : fleetDisabled > now && !ownLive ? [fleetDisabled, fleet.disabledBy]
    : [local.disabledUntil, local.disabledBy];
  let raised: Record<string, number> | undefined;
  for (const model of Object.keys(fleet.modelCooldowns)) {
    const until = believed(modelCooldownUntil(fleet.modelCooldowns, model), horizon);
    if (until <= now || until <= modelCooldownUntil(raised ?? local.modelCooldowns, model)) continue;
    // Copy on the first change only: the common message changes nothing.
    raised ??= liveCopy(local.modelCooldowns, now);
    raised[model] = until;
  }
  const modelCooldowns = raised ? liveModelCooldowns(raised, now) : local.modelCooldowns;
  const shared = fleet.breaker && fleet.breaker.openUntil <= horizon ? fleet.breaker : undefined;
  const breaker = shared ? adoptSharedBreaker(local.breaker, shared) : local.breaker;
  const deadlinesMoved = cooldownUntil !== local.cooldownUntil || disabledUntil !== local.disabledUntil || disabledBy !== local.disabledBy
    || modelCooldowns !== local.modelCooldowns;
  if (!deadlinesMoved && breaker === local.breaker) return local;
  // In `endpointStateWith`'s order: a state adopted from the fleet has the hidden class of one written here.
  return { breaker, cooldownUntil, modelCooldowns, disabledUntil, reason: deadlinesMoved ? (fleet.reason ?? local.reason) : local.reason, disabledBy };
};
