import type { ServerResponse } from 'node:http';
import type { CallerSignal } from '@detour/core';

/**
 * The caller's signal for one request on Node: it aborts when the connection closes before the answer is finished.
 * A plain object with one listener slot list rather than an `AbortController`, whose creation and event-target
 * listeners cost more per request than the rest of what the router does with the signal. Listeners run once.
 */
export const connectionSignal = (outgoing: ServerResponse): CallerSignal => {
  let listeners: (() => void)[] | undefined;
  const signal = {
    aborted: false,
    reason: undefined as unknown,
    addEventListener(_type: 'abort', listener: () => void) {
      if (signal.aborted) return;
      (listeners ??= []).push(listener);
    },
    removeEventListener(_type: 'abort', listener: () => void) {
      const index = listeners?.indexOf(listener) ?? -1;
      if (index >= 0) listeners!.splice(index, 1);
    },
  };
  outgoing.once('close', () => {
    if (outgoing.writableFinished) return;
    signal.aborted = true;
    signal.reason = new Error('the caller closed the connection');
    const heard = listeners;
    listeners = undefined;
    if (heard) for (const listener of heard) listener();
  });
  return signal;
};
