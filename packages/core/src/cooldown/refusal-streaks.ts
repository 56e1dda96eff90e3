/**
 * The refusals of a key's or a model's quota, billing or access (a `long` cooldown with no reset named) that came one
 * after another, per endpoint, or per endpoint and model for a model's own: a disable that has no reset to wait for
 * is a guess at when the account is fixed, so it starts short and grows only while the provider keeps refusing.
 *
 * Kept by each router for itself: a store keeps the deadline, and the fleet's later deadline wins as before. A member
 * that only adopted a disable starts its own streak at the first refusal it sees.
 */
export interface RefusalStreaks {
  /** Per endpoint: bounded by the configuration, never evicted. */
  readonly endpoints: Map<string, RefusalStreak>;
  /** Per endpoint and model (`streakKey`): model names are a caller's, so at most {@link maxModelStreaks}. */
  readonly models: Map<string, RefusalStreak>;
}

/** One endpoint's (or model's) run of refusals. */
export interface RefusalStreak {
  /** Refusals after a hold had run out, before the latest: 0 for the first. */
  readonly count: number;
  /** When the latest hold runs out. */
  readonly until: number;
  /** When the latest refusal came: only an attempt that started after it can end the streak. */
  readonly refusedAt: number;
}

/**
 * Models' streaks kept at once, over every endpoint. A caller cycling through invented models must not grow the map:
 * past the cap the streak refused longest ago is dropped (its next refusal starts at the first hold again). An
 * endpoint's own streak is kept apart, so invented names cannot take it.
 */
export const maxModelStreaks = 1024;

/** Fresh, empty streaks. */
export const createRefusalStreaks = (): RefusalStreaks => ({ endpoints: new Map(), models: new Map() });

/** The key of one model's streak on an endpoint (a NUL cannot be in an endpoint's name). */
export const streakKey = (endpoint: string, model: string): string => `${endpoint}\u0000${model}`;

/** Does any streak run? False on every healthy router, which then pays nothing more. */
export const anyStreak = (streaks: RefusalStreaks): boolean => streaks.endpoints.size !== 0 || streaks.models.size !== 0;

/** The endpoint's streak (`model` undefined) or one model's on it. */
export const streakOf = (streaks: RefusalStreaks, endpoint: string, model: string | undefined): RefusalStreak | undefined =>
  model === undefined ? streaks.endpoints.get(endpoint) : streaks.models.get(streakKey(endpoint, model));

/**
 * How many refusals came before one at `now` in the same streak: one after the last hold ran out continues the
 * streak, one during it (a request that was already in flight) does not lengthen it, and one more than
 * `forgetAfterMs` after the last hold ran out starts afresh. (A router's endpoints keep their credentials for its life:
 * a replaced key comes with a new router, whose streaks start empty.)
 */
export const refusalsBefore = (last: RefusalStreak | undefined, now: number, forgetAfterMs: number): number => {
  if (last === undefined || now - last.until > forgetAfterMs) return 0;
  return now < last.until ? last.count : last.count + 1;
};

/** Records a refusal of the endpoint (`model` undefined) or of one model on it. */
export const noteRefusal = (streaks: RefusalStreaks, endpoint: string, model: string | undefined, streak: RefusalStreak): void => {
  if (model === undefined) {
    streaks.endpoints.set(endpoint, streak);
    return;
  }
  const key = streakKey(endpoint, model);
  // Re-inserted at the end, so the map's first entry is always the one refused longest ago.
  streaks.models.delete(key);
  if (streaks.models.size >= maxModelStreaks) streaks.models.delete(streaks.models.keys().next().value as string);
  streaks.models.set(key, streak);
};

/**
 * An attempt that started at `startedAt` was accepted (`acceptedBy`): it ends the endpoint's streak and its model's
 * when it started after their latest refusal. One sent before, or in the same millisecond (a long generation the key
 * was still good for), says nothing of the refusal since.
 */
export const endRefusals = (streaks: RefusalStreaks, endpoint: string, model: string | undefined, startedAt: number): void => {
  const own = streaks.endpoints.get(endpoint);
  if (own !== undefined && own.refusedAt < startedAt) streaks.endpoints.delete(endpoint);
  if (model === undefined || streaks.models.size === 0) return;
  const key = streakKey(endpoint, model);
  const its = streaks.models.get(key);
  if (its !== undefined && its.refusedAt < startedAt) streaks.models.delete(key);
};
