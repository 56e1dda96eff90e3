import { jitterServerDelay, nextBackoff } from '../backoff/backoff';
import { giveUp } from './give-up';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import type { AttemptFailure } from './run-attempt';

/**
 * Learns from a failed attempt before the loop chooses again: gives up when the failure allows no retry (the
 * caller aborted, or the answer would be the same anywhere); otherwise marks the endpoint tried, forbids a failover
 * when the failure calls for the same endpoint only, and sets when that endpoint may be retried (a server's delay
 * within `maxServerDelayMs`, else the next backoff).
 */
export const planRetry = ({ options, clock, random }: RouterContext, state: RequestState, outcome: AttemptFailure): void => {
  const chosen = state.chosen!;
  state.last = { candidate: chosen, outcome };
  const { classification } = outcome;
  if (classification.kind === 'aborted') giveUp(state, 'aborted');
  if (!classification.retrySame && !classification.failover) {
    // A rescue's request is Detour's, not the caller's: another endpoint (or dialect) may well accept it.
    if (!state.rescuing) giveUp(state, 'not_retryable');
    state.tried.add(chosen.name);
    state.retryAt.delete(chosen.name);
    return;
  }
  state.tried.add(chosen.name);
  state.retryAt.delete(chosen.name);
  if (!classification.failover) state.sameOnly = chosen.name;
  if (!classification.retrySame) return;
  let delayMs: number | undefined;
  if (classification.delayMs !== undefined) {
    // Past the cap, waiting here is worse than the cooldown already set: fail over instead.
    delayMs = classification.delayMs <= options.maxServerDelayMs ? jitterServerDelay(classification.delayMs, random, 0.1) : undefined;
  } else {
    [delayMs, state.backoff] = nextBackoff(state.backoff, options.backoff, random);
  }
  if (delayMs !== undefined) state.retryAt.set(chosen.name, clock.now() + delayMs);
};
