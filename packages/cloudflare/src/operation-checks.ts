import { closedBreaker, fleetHorizonMs, liveModelCooldowns, type BreakerState, type EndpointState } from '@detour/core/store';
import type { StateObjectOperation } from './state-object-protocol';

// What the DetourStateObject takes from its callers and its own storage. Any Worker of the account can reach the
// object, and storage outlives versions: a value of another shape once made every operation throw, for every member
// and every restart of the object. Here every field is checked before a reducer sees it.

/** Longest endpoint or model name the object keeps (core refuses longer endpoint names in config). */
const maxNameLength = 512;
/** Generations past this would no longer count up by one (2^53 + 1 is 2^53). */
const maxGeneration = 2 ** 52;

type Body = Record<string, unknown>;

const isRecord = (value: unknown): value is Body => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown, max = Number.MAX_SAFE_INTEGER): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
const isName = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= maxNameLength;
const isOptionalName = (value: unknown) => value === undefined || value === null || isName(value);

/** A shared breaker as a caller may send it. */
const isSharedBreaker = (value: unknown): boolean =>
  isRecord(value) && (value.position === 'open' || value.position === 'closed') && isTime(value.openUntil)
  && isCount(value.generation, maxGeneration) && isCount(value.trips, maxGeneration);

const isBudgetOptions = (value: unknown): boolean =>
  isRecord(value) && isTime(value.ratio) && isTime(value.minPerSecond) && isTime(value.ttlMs) && value.ttlMs > 0 && value.ttlMs <= fleetHorizonMs;

const areDeposits = (value: unknown): boolean =>
  Array.isArray(value) && value.every((deposit) => Array.isArray(deposit) && isTime(deposit[0]) && isCount(deposit[1], 1_000_000));

const isBreakerOptions = (value: unknown): boolean =>
  isRecord(value) && isCount(value.halfOpenProbes, 1000) && isTime(value.probeTimeoutMs) && isTime(value.openMs) && isTime(value.maxOpenMs);

const isShare = (value: unknown): boolean =>
  isRecord(value) && isName(value.endpoint) && isOptionalName(value.model) && isRecord(value.spent)
  && Object.values(value.spent).every(isTime)
  && (value.reading === undefined || value.reading === null || (isRecord(value.reading) && isRecord(value.reading.observation) && isTime(value.reading.at)));

const checks: { [Name in StateObjectOperation]: (body: Body) => boolean } = {
  sync: (body) => areDeposits(body.deposits) && (body.budget === undefined || body.budget === null || isBudgetOptions(body.budget)),
  'raise-deadline': (body) =>
    isName(body.endpoint) && (body.field === 'cooldown' || body.field === 'disable') && isOptionalName(body.model)
    && isTime(body.until) && isTime(body.now) && typeof body.reason === 'string' && isOptionalName(body.credential),
  transition: (body) => isName(body.endpoint) && isSharedBreaker(body.breaker),
  'take-probe': (body) => isName(body.endpoint) && isTime(body.now) && isBreakerOptions(body.options) && isSharedBreaker(body.breaker),
  'release-probe': (body) => isName(body.endpoint) && (body.start === undefined || body.start === null || isTime(body.start)),
  'spend-retry': (body) => isTime(body.now) && isBudgetOptions(body.options) && areDeposits(body.deposits),
  'exchange-quota': (body) =>
    Array.isArray(body.report) && body.report.every(isShare) && isTime(body.now) && (body.since === undefined || isCount(body.since)),
};

/** Whether `body` is a well-formed request of `operation`; the object answers 400 to any other. */
export const isOperationRequest = (operation: StateObjectOperation, body: unknown): boolean => isRecord(body) && checks[operation](body);

/** A deadline as the object keeps it: 0 (none) for one that is no number or lies past the fleet horizon from `now`. */
export const keptDeadline = (value: unknown, now: number): number =>
  isTime(value) && value <= now + fleetHorizonMs ? value : 0;

const readBreaker = (value: unknown, now: number): BreakerState => {
  if (!isRecord(value) || (value.position !== 'open' && value.position !== 'closed' && value.position !== 'half_open')) return closedBreaker;
  if (!isCount(value.generation, maxGeneration) || !isCount(value.trips, maxGeneration)) return closedBreaker;
  const probes = Array.isArray(value.probes) ? value.probes.filter(isTime) : [];
  return {
    ...closedBreaker, position: value.position, generation: value.generation, trips: value.trips,
    openUntil: keptDeadline(value.openUntil, now), probes,
  };
};

/**
 * An endpoint's state read back from storage: a field of another shape (written by another version, a bug or a
 * hand) reads as its empty value, a deadline past the fleet horizon from `now` as none, and model cooldowns as a
 * prototype-free map, capped. Never throws.
 */
export const readStoredState = (value: unknown, now: number): EndpointState => {
  const state = isRecord(value) ? value : {};
  const cooldowns: Record<string, number> = Object.create(null) as Record<string, number>;
  if (isRecord(state.modelCooldowns)) {
    for (const model of Object.keys(state.modelCooldowns)) {
      const until = keptDeadline(state.modelCooldowns[model], now);
      if (until > 0) cooldowns[model] = until;
    }
  }
  return {
    cooldownUntil: keptDeadline(state.cooldownUntil, now),
    disabledUntil: keptDeadline(state.disabledUntil, now),
    modelCooldowns: liveModelCooldowns(cooldowns, Number.NEGATIVE_INFINITY),
    reason: typeof state.reason === 'string' ? state.reason : undefined,
    disabledBy: isName(state.disabledBy) ? state.disabledBy : undefined,
    breaker: readBreaker(state.breaker, now),
  };
};
