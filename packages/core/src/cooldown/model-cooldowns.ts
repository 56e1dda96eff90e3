/**
 * Per-model cooldown deadlines on one endpoint, keyed by the caller's public model name. Model names are
 * caller-controlled: `__proto__`, `constructor` or `toString` must be ordinary keys, so every map here has no
 * prototype and every read asks for an own property.
 */
export type ModelCooldowns = Readonly<Record<string, number>>;

/**
 * At most this many models cool at once on one endpoint: a caller cycling through invented model names must not grow
 * the state (and `/healthz`, metrics and a shared store with it) without bound. Past the cap the soonest to expire
 * give way.
 */
export const maxModelCooldowns = 256;

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** A fresh map with no prototype. */
export const createModelCooldowns = (): Record<string, number> => Object.create(null) as Record<string, number>;

/** No model cooling. */
export const noModelCooldowns: ModelCooldowns = Object.freeze(createModelCooldowns());

/** The instant `model` may be sent again (0 when it is not cooling); never reads an inherited property. */
export const modelCooldownUntil = (cooldowns: ModelCooldowns, model: string): number => {
  if (!hasOwn(cooldowns, model)) return 0;
  const until = cooldowns[model];
  return typeof until === 'number' ? until : 0;
};

/** The cooldowns still running at `now`, capped at `max` (the latest deadlines kept); the same map when nothing changes. */
export const liveModelCooldowns = (cooldowns: ModelCooldowns, now: number, max = maxModelCooldowns): ModelCooldowns => {
  const entries = Object.keys(cooldowns).map((model) => [model, modelCooldownUntil(cooldowns, model)] as const);
  const live = entries.filter(([, until]) => until > now);
  if (live.length === entries.length && live.length <= max && Object.getPrototypeOf(cooldowns) === null) return cooldowns;
  if (live.length > max) live.sort((a, b) => b[1] - a[1]).length = max;
  const pruned = createModelCooldowns();
  for (const [model, until] of live) pruned[model] = until;
  return pruned;
};

/**
 * Adds a cooldown for `model` (a later deadline already set wins), dropping expired entries and keeping at most `max`.
 * Returns a new map; the old one is left as it was.
 */
export const withModelCooldown = (
  cooldowns: ModelCooldowns, model: string, until: number, now: number, max = maxModelCooldowns,
): ModelCooldowns => {
  const next = createModelCooldowns();
  for (const name of Object.keys(cooldowns)) {
    const at = modelCooldownUntil(cooldowns, name);
    if (at > now) next[name] = at;
  }
  next[model] = Math.max(modelCooldownUntil(next, model), until);
  return liveModelCooldowns(next, now, max);
};
