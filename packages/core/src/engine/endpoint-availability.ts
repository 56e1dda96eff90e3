import { breakerAllows, type BreakerOptions } from '../breaker/breaker';
import { modelCooldownUntil } from '../cooldown/model-cooldowns';
import type { EndpointState } from '../ports/state-store';

/**
 * The earliest instant an endpoint can take a request for `model`: after it is re-enabled, after its endpoint-
 * and model-wide cooldowns, and after its breaker's open time.
 */
export const availableFrom = (state: EndpointState, model: string | undefined): number => {
  let at = Math.max(state.disabledUntil, state.cooldownUntil);
  if (model !== undefined) at = Math.max(at, modelCooldownUntil(state.modelCooldowns, model));
  if (state.breaker.position === 'open') at = Math.max(at, state.breaker.openUntil);
  return at;
};

// How often to look again at a half-open endpoint whose probe slots are taken: its verdict can come any moment.
const probePollMs = 250;

/**
 * Like {@link availableFrom}, but also for a half-open breaker whose probe slots are all taken: look again after a
 * short poll (the probe's verdict may close the breaker any moment), and no later than the oldest probe's timeout.
 */
export const admissibleFrom = (state: EndpointState, model: string | undefined, now: number, breaker: BreakerOptions): number => {
  const at = availableFrom(state, model);
  if (state.breaker.position !== 'half_open' || breakerAllows(state.breaker, now, breaker)) return at;
  const live = state.breaker.probes.filter((startedAt) => now - startedAt < breaker.probeTimeoutMs);
  return Math.max(at, Math.min(now + probePollMs, Math.min(...live) + breaker.probeTimeoutMs));
};

/** May the endpoint take a request for `model` at `now`? Half-open breakers count only while a probe slot is free. */
export const isAvailable = (state: EndpointState, model: string | undefined, now: number, breaker: BreakerOptions): boolean =>
  availableFrom(state, model) <= now && breakerAllows(state.breaker, now, breaker);
