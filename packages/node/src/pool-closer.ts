import { nodeClock } from './node-clock';
import type { UndiciTransport } from './undici-transport';

/**
 * A router's `close`: closes its pool once the router is idle (every request settled, `router.idle()`), or cuts it
 * at the earliest bound any call gave (`graceMs`): the router is shut down, then requests still in flight fail
 * (`router_closed`) and streams end broken, counted against no endpoint. Every
 * call returns the first one's promise; a later call with a shorter bound brings the cut forward (a `close()` that
 * waits for a hung upstream can still be forced). The pool's own `close()` waits for its requests but not for a
 * request between two attempts (failing over after a 503, waiting out a backoff), whose next attempt then failed on a
 * closed pool; and undici's `destroy()` after `close()` fails nothing, so the cut must come instead of it.
 */
export const createPoolCloser = (pool: UndiciTransport, idle: () => Promise<void>, shutDown: () => void) => {
  let closing: Promise<void> | undefined;
  let finish: (how: 'close' | 'destroy') => void = () => undefined;
  let cut: unknown;
  let cutAt = Number.POSITIVE_INFINITY;
  return (graceMs?: number): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      let finished = false;
      finish = (how) => {
        if (finished) return;
        finished = true;
        nodeClock.cancel(cut);
        // Before the cut: what it fails is then the shutdown's doing, never the endpoints' (see `Router.shutDown`).
        if (how === 'destroy') shutDown();
        (how === 'close' ? pool.close() : pool.destroy()).then(resolve, reject);
      };
      void idle().then(() => finish('close'));
    });
    if (graceMs !== undefined && nodeClock.now() + graceMs < cutAt) {
      cutAt = nodeClock.now() + graceMs;
      nodeClock.cancel(cut);
      // In the background: what is still in flight keeps the process alive by its sockets; the bound alone need not.
      if (graceMs === 0) finish('destroy');
      else cut = nodeClock.schedule(() => finish('destroy'), graceMs, true);
    }
    return closing;
  };
};
