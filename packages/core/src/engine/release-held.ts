import type { BreakerAdmission } from '../breaker/breaker';
import { endRecheck } from '../cooldown/rechecks';
import type { MaybePromise } from '../ports/maybe-promise';
import { trackPending } from '../selection/peak-ewma';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';

/**
 * Hands back what the current attempt still holds when the request fails before settling it (a store, a request
 * that cannot be built, a bug): an unreturned stream, its pending count, its recheck claim, its half-open probe slot.
 * Awaits only to free a probe slot.
 */
export const releaseHeld = (context: RouterContext, state: RequestState): MaybePromise<void> => {
  const { clock, options, selection, store } = context;
  const now = clock.now();
  // Before any attempt's: a store's `admit` that threw on the first attempt leaves a claim and no chosen endpoint.
  endClaim(context, state, now);
  const endpoint = state.chosen?.name;
  if (endpoint === undefined) return undefined;
  const stream = state.heldStream;
  state.heldStream = undefined;
  if (stream) {
    stream.abort(new Error('the request failed before the stream was handed out'));
    stream.response.cancel();
    stream.release();
  }
  if (state.holdsPending) trackPending(selection.latency, endpoint, -1, now, options.latency);
  state.holdsPending = false;
  if (!state.holdsProbe) return undefined;
  state.holdsProbe = false;
  return handBackProbe({ options, store }, endpoint, state.admission!, now);
};

/**
 * Frees a half-open probe slot no attempt will use (a neutral result). A failing store must not hide the error that
 * brought us here: the slot then frees itself after `breaker.probeTimeoutMs`. Settles once the store has heard it.
 */
export const handBackProbe = (
  { options, store }: Pick<RouterContext, 'options' | 'store'>,
  endpoint: string,
  { generation, lease }: Pick<BreakerAdmission, 'generation' | 'lease'>,
  now: number,
): MaybePromise<void> => {
  try {
    return Promise.resolve(store.recordResult(endpoint, { outcome: 'neutral', generation, probe: true, now, lease }, options.breaker)).then(
      () => undefined,
      () => undefined,
    );
  } catch {
    return undefined;
  }
};

/** The request's recheck claim, if it holds one, ends with no answer: another request may take it. */
export const endClaim = (context: Pick<RouterContext, 'rechecks'>, state: RequestState, now: number): void => {
  if (state.recheck === undefined) return;
  endRecheck(context.rechecks, state.recheck, false, now);
  state.recheck = undefined;
};
