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
