/**
 * A signal that aborts when any of `signals` does, with that signal's reason. Uses `AbortSignal.any` where the
 * runtime has it (Node ≥ 20.3, workerd) and a listener-based fallback elsewhere.
 */
export const anySignal = (signals: readonly AbortSignal[]): AbortSignal => {
  const native = (AbortSignal as unknown as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  if (native) return native.call(AbortSignal, [...signals]);
  const controller = new AbortController();
  const aborted = signals.find((signal) => signal.aborted);
  if (aborted) {
    controller.abort(aborted.reason);
    return controller.signal;
  }
  const onAbort = (event: Event) => {
    controller.abort((event.target as AbortSignal).reason);
    for (const signal of signals) signal.removeEventListener('abort', onAbort);
  };
  for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
  return controller.signal;
};

/** Resolves to the signal's reason as a rejection once it aborts; lets a read be raced against cancellation. */
export const rejectOnAbort = (signal: AbortSignal): { promise: Promise<never>; dispose(): void } => {
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => onAbort && signal.removeEventListener('abort', onAbort) };
};

/**
 * A controller that also aborts when `parent` does, without `AbortSignal.any` (whose weak references cost a
 * measurable share of a gateway's CPU on Node 20). Call `unlink` once done so the parent keeps no listener.
 */
export const linkedController = (parent: AbortSignal): { controller: AbortController; unlink(): void } => {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, unlink: () => undefined };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, unlink: () => parent.removeEventListener('abort', onAbort) };
};
