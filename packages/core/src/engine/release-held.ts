import type { MaybePromise } from '../ports/maybe-promise';
import { trackPending } from '../selection/peak-ewma';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';

/**
 * Hands back what the current attempt still holds when the request fails before settling it (a store, a request
 * that cannot be built, a bug): an unreturned stream, its pending count, its half-open probe slot. Awaits only to
 * free a probe slot.
 */
export const releaseHeld = ({ clock, options, selection, store }: RouterContext, state: RequestState): MaybePromise<void> => {
  const endpoint = state.chosen?.name;
  if (endpoint === undefined) return undefined;
  const now = clock.now();
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
  const { generation, lease } = state.admission!;
  // A failing store must not hide the error that brought us here: the probe slot then frees itself after
  // `breaker.probeTimeoutMs`.
  try {
    return Promise.resolve(store.recordResult(endpoint, { outcome: 'neutral', generation, probe: true, now, lease }, options.breaker)).then(
      () => undefined,
      () => undefined,
    );
  } catch {
    return undefined;
  }
};
