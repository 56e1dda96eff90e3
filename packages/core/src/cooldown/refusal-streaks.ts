/**
 * The refusals of a key's or a model's quota, billing or access (a `long` cooldown with no reset named) that came one
 * after another, per endpoint, or per endpoint and model for a model's own: a disable that has no reset to wait for
 * is a guess at when the account is fixed, so it starts short and grows only while the provider keeps refusing.
 *
 * Kept by each router for itself: a store keeps the deadline, and the fleet's later deadline wins as before. A member
 * that only adopted a disable starts its own streak at the first refusal it sees.
 */
export type RefusalStreaks = Map<string, RefusalStreak>;

/** One endpoint's (or model's) run of refusals. */
export interface RefusalStreak {
  /** Refusals after a hold had run out, before the latest: 0 for the first. */
  readonly count: number;
  /** When the latest hold runs out. */
  readonly until: number;
}

/**
 * Streaks kept at once. Endpoint-wide ones are bounded by the configuration; a model's are keyed by a caller-chosen
 * name, so a caller cycling through invented models must not grow the map: past the cap the oldest streak is dropped
 * (its next refusal starts at the first hold again).
 */
export const maxRefusalStreaks = 1024;

/** A fresh, empty set of streaks. */
export const createRefusalStreaks = (): RefusalStreaks => new Map();

/** The key of an endpoint's streak, or of one model's on it (a NUL cannot be in an endpoint's name). */
export const streakKey = (endpoint: string, model: string | undefined): string => (model === undefined ? endpoint : `${endpoint}\u0000${model}`);

/**
 * How many refusals came before this one in the same streak: one after the last hold ran out continues the streak, one
 * during it (a request that was already in flight) does not lengthen it, and one more than `forgetAfterMs` after the
 * last hold ran out starts afresh. (A router's endpoints keep their credentials for its life: a replaced key comes
 * with a new router, and a new router's streaks start empty.)
 */
export const refusalsBefore = (streaks: RefusalStreaks, key: string, now: number, forgetAfterMs: number): number => {
  const last = streaks.get(key);
  if (last === undefined || now - last.until > forgetAfterMs) return 0;
  return now < last.until ? last.count : last.count + 1;
};

/** Records a refusal held until `until` as the `count`-th of its streak (from {@link refusalsBefore}). */
export const noteRefusal = (streaks: RefusalStreaks, key: string, streak: RefusalStreak): void => {
  // Re-inserted at the end, so the map's first entry is always the one refused longest ago.
  streaks.delete(key);
  if (streaks.size >= maxRefusalStreaks) streaks.delete(streaks.keys().next().value as string);
  streaks.set(key, streak);
};

/**
 * An answer that shows the provider took the key, account and model (`acceptedBy`) ends the endpoint's streak and its
 * model's. Costs nothing while no streak runs, which is every healthy router.
 */
export const endRefusals = (streaks: RefusalStreaks, endpoint: string, model: string | undefined): void => {
  if (streaks.size === 0) return;
  streaks.delete(endpoint);
  if (model !== undefined) streaks.delete(streakKey(endpoint, model));
};
