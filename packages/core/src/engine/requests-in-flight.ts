/**
 * The router's requests from `send` until they settle (`settleRequest`: an answer, a stream's end or cut, a failure),
 * so that a binding's `close()` can wait for them: a request between two attempts (failing over after a 503,
 * waiting out a backoff) holds no connection, and a pool closed then failed its next attempt.
 */
export class RequestsInFlight {
  private count = 0;
  private waiters: (() => void)[] | undefined = undefined;

  opened(): void {
    this.count += 1;
  }

  settled(): void {
    this.count -= 1;
    if (this.count > 0 || this.waiters === undefined) return;
    const waiters = this.waiters;
    this.waiters = undefined;
    for (const resolve of waiters) resolve();
  }

  /** Resolves once no request is in flight (at once when none is). */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => (this.waiters ??= []).push(resolve));
  }
}
