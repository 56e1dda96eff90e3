import type { CallerSignal } from '../ports/caller-signal';
/** Resolves to the signal's reason as a rejection once it aborts; lets a read be raced against cancellation. */
export const rejectOnAbort = (signal: CallerSignal): { promise: Promise<never>; dispose(): void } => {
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => onAbort && signal.removeEventListener('abort', onAbort) };
};
