import type { ServerResponse } from 'node:http';
import { AbortSource, type CallerSignal } from '@detour/core';

/**
 * The caller's signal for one request on Node: it aborts when the connection closes before the answer is finished.
 * A light {@link AbortSource} rather than an `AbortController`, whose creation and event-target listeners cost
 * more per request than the rest of what the router does with the signal.
 */
export const connectionSignal = (outgoing: ServerResponse): CallerSignal => {
  const signal = new AbortSource();
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) signal.abort(new Error('the caller closed the connection'));
  });
  return signal;
};
