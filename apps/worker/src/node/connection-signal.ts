import type { ServerResponse } from 'node:http';
import { AbortSource, RouterClosedError } from '@detour/core';

/**
 * The caller's signal for one request on Node: it aborts when the connection closes before the answer is finished.
 * A light {@link AbortSource} rather than an `AbortController`, whose creation and event-target listeners cost
 * more per request than the rest of what the router does with the signal. The same `close` listener then calls
 * `afterClose` when one is set by then (what the request held is given back): one listener a request, not two.
 */
export const connectionSignal = (
  outgoing: ServerResponse, closing: { afterClose?: (() => void) | undefined }, drain: { readonly cut?: boolean },
): AbortSource => {
  const signal = new AbortSource();
  outgoing.once('close', () => {
    abortIfCallerLeft(outgoing, signal, drain.cut === true);
    closing.afterClose?.();
  });
  return signal;
};

/**
 * Aborts a request's caller signal if its connection closed before the answer was finished; once only. The access
 * log calls it first, inside the request's async context, so that what the abort settles (an abandoned stream's
 * cost, its `request-end`) is reported inside that context, where the log finds its entry. `cut`: the gateway
 * closed the connection itself, its grace out: the router hears a `RouterClosedError`, the shutdown's doing, where a
 * caller who left is its own.
 */
export const abortIfCallerLeft = (outgoing: ServerResponse, signal: AbortSource, cut: boolean): void => {
  if (!outgoing.writableFinished && !signal.aborted) signal.abort(cut ? new RouterClosedError() : new Error('the caller closed the connection'));
};
