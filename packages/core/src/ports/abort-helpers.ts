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
