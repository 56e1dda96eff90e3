/**
 * Counts a pool's requests from dispatch until undici completes or fails them (a stream's until its body ends), so
 * that a close bounded in time can wait for them without `close()`. undici's `Agent.close()` lets go of its pools,
 * and a `destroy()` after it finds none to destroy: the requests still in flight were then never failed.
 */
export class InFlight {
  private count = 0;
  private onIdle: (() => void) | undefined = undefined;

  /** A request was dispatched. */
  add(): void {
    this.count += 1;
  }

  /** A request was completed or failed; once each. */
  done(): void {
    this.count -= 1;
    if (this.count === 0) this.onIdle?.();
  }

  /** Resolves once no request is in flight (at once when none is). */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => (this.onIdle = resolve));
  }
}
