import { breakerAllows, type BreakerOptions } from '../breaker/breaker';
import type { EndpointState } from '../ports/state-store';

/**
 * The earliest instant an endpoint can take a request for `model`: after it is re-enabled, after its endpoint-
 * and model-wide cooldowns, and after its breaker's open time.
 */
export const availableFrom = (state: EndpointState, model: string | undefined): number => {
  let at = Math.max(state.disabledUntil, state.cooldownUntil);
  if (model !== undefined) at = Math.max(at, state.modelCooldowns[model] ?? 0);
  if (state.breaker.position === 'open') at = Math.max(at, state.breaker.openUntil);
  return at;
};

/** May the endpoint take a request for `model` at `now`? Half-open breakers count only while a probe slot is free. */
export const isAvailable = (state: EndpointState, model: string | undefined, now: number, breaker: BreakerOptions): boolean =>
  availableFrom(state, model) <= now && breakerAllows(state.breaker, now, breaker);
