import type { ServerResponse } from 'node:http';

/**
 * Timers that end early when their response closes or the server shuts down, so a closed upstream leaves no
 * timer keeping the process alive and no writer waking up to a dead socket.
 */
export class Delays {
  private readonly pending = new Set<() => void>();

  /**
   * Resolves `true` after `ms`, or `false` as soon as the response closes or {@link cancelAll} runs. An infinite
   * `ms` waits only for those.
   */
  wait(ms: number, response: ServerResponse): Promise<boolean> {
    if (response.destroyed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (elapsed: boolean): void => {
        if (timer !== undefined) clearTimeout(timer);
        response.off('close', cancel);
        this.pending.delete(cancel);
        resolve(elapsed);
      };
      const cancel = (): void => finish(false);
      const timer = Number.isFinite(ms) ? setTimeout(() => finish(true), ms) : undefined;
      response.once('close', cancel);
      this.pending.add(cancel);
    });
  }

  /** Ends every pending delay at once. */
  cancelAll(): void {
    for (const cancel of [...this.pending]) cancel();
  }
}
