import { jitterServerDelay, nextBackoff } from '../backoff/backoff';
import { fallBack } from './fall-back';
import { giveUp } from './give-up';
import { markTried, type RequestState } from './request-state';
import type { RouterContext } from './router-context';
import type { AttemptFailure } from './run-attempt';
import { noteUsageRefused, refusedStreamOptions } from './stream-options-refusal';

/**
 * Learns from a failed attempt before the loop chooses again: moves the request to its fallback model when the
 * model refused it for being too long or against policy and one is configured (never during a mid-stream rescue); gives up when the failure allows no
 * retry (the caller aborted, the answer would be the same anywhere, or a request that must not run twice may have
 * been carried out); otherwise marks the endpoint tried, forbids a failover
 * when the failure calls for the same endpoint only, and sets when that endpoint may be retried (a server's delay
 * within `maxServerDelayMs`, else the next backoff).
 */
export const planRetry = (context: RouterContext, state: RequestState, outcome: AttemptFailure): void => {
  const { options, clock, random } = context;
  const chosen = state.chosen!;
  state.last = { candidate: chosen, outcome };
  const { classification } = outcome;
  if (classification.kind === 'aborted') giveUp(state, 'aborted');
  // A request that must not run twice (a POST that creates a file or a batch) is asked again, here or elsewhere, only
  // when the endpoint's answer says it did nothing: after a 500 or a cut connection it may exist already.
  if (!state.prepared.replayable && !classification.unprocessed) giveUp(state, 'not_replayable');
  // Refused over the `stream_options` Detour added: the endpoint is asked again (if chosen) with the caller's body.
  if (refusedStreamOptions(state, outcome)) {
    noteUsageRefused(state, chosen.name);
    return;
  }
  // A rescue finishes an answer a model has begun: it never moves to a fallback model mid-answer (another model's
  // continuation would be spliced onto this one's text, its replay would diverge). Its refusal fails over below.
  if (!state.rescuing && fallBack(context, state, chosen, classification.kind)) return;
  if (!classification.retrySame && !classification.failover) {
    // A rescue's request is Detour's, not the caller's: another endpoint (or dialect) may well accept it.
    if (!state.rescuing) giveUp(state, 'not_retryable');
    markTried(state, chosen.name);
    return;
  }
  markTried(state, chosen.name);
  if (!classification.failover) state.sameOnly = chosen.name;
  if (!classification.retrySame) return;
  // Preferring to wait: a transient 5xx earns this endpoint one retry before the request moves on.
  if (options.preferWaitMs > 0 && (outcome.status ?? 0) >= 500 && !state.retriedSame?.has(chosen.name)) {
    (state.retriedSame ??= new Set()).add(chosen.name);
    state.retryOnce = chosen.name;
  }
  let delayMs: number | undefined;
  if (classification.delayMs !== undefined) {
    // Past the cap, waiting here is worse than the cooldown already set: fail over instead.
    delayMs = classification.delayMs <= options.maxServerDelayMs ? jitterServerDelay(classification.delayMs, random, 0.1) : undefined;
  } else {
    [delayMs, state.backoff] = nextBackoff(state.backoff, options.backoff, random);
  }
  if (delayMs !== undefined) (state.retryAt ??= new Map()).set(chosen.name, clock.now() + delayMs);
};
