/**
 * A continuously refilling token bucket. Capacity and refill are both "per minute", which is how providers state
 * RPM and TPM limits; the bucket starts full unless told otherwise.
 */
export class TokenBucket {
  readonly capacity: number;
  private readonly refillPerMs: number;
  private readonly now: () => number;
  private level: number;
  private updatedAt: number;

  /**
   * @param perMinute capacity, and how much refills over one minute
   * @param now the instance clock
   * @param initialFill the share of capacity the bucket starts with, in [0, 1]
   */
  constructor(perMinute: number, now: () => number, initialFill = 1) {
    this.capacity = perMinute;
    this.refillPerMs = perMinute / 60_000;
    this.now = now;
    this.level = perMinute * Math.min(1, Math.max(0, initialFill));
    this.updatedAt = now();
  }

  /** Units available right now (fractional while refilling). */
  available(): number {
    const at = this.now();
    this.level = Math.min(this.capacity, this.level + (at - this.updatedAt) * this.refillPerMs);
    this.updatedAt = at;
    return this.level;
  }

  /** Takes `amount` if that much is available; leaves the bucket untouched otherwise. */
  tryTake(amount: number): boolean {
    if (this.available() < amount) return false;
    this.level -= amount;
    return true;
  }

  /** Milliseconds until `amount` will be available (0 if it already is). */
  msUntilAvailable(amount: number): number {
    const missing = Math.min(amount, this.capacity) - this.available();
    return missing <= 0 ? 0 : Math.ceil(missing / this.refillPerMs);
  }

  /** Milliseconds until the bucket is full again: OpenAI's meaning of `x-ratelimit-reset-*`. */
  msUntilFull(): number {
    return this.msUntilAvailable(this.capacity);
  }
}
