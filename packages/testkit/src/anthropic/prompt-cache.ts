/** Anthropic's two cache lifetimes: `ephemeral` lasts five minutes unless `ttl: "1h"` asks for an hour. */
export type CacheTtl = '5m' | '1h';

const TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/**
 * Prompt prefixes this instance has "cached", keyed by model and prefix text, each with an expiry on the instance
 * clock. A prefix that is read again is refreshed, like Anthropic's cache. Bounded: past `limit` entries the
 * least recently used one is dropped.
 */
export class PromptCache {
  private readonly entries = new Map<string, number>();
  private readonly now: () => number;
  private readonly limit: number;

  /**
   * @param now the instance clock
   * @param limit how many prefixes to keep @default 1024
   */
  constructor(now: () => number, limit = 1024) {
    this.now = now;
    this.limit = limit;
  }

  /** Whether the prefix is cached and not yet expired. */
  has(key: string): boolean {
    const expiresAt = this.entries.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt > this.now()) return true;
    this.entries.delete(key);
    return false;
  }

  /** Writes or refreshes a prefix for its lifetime. */
  put(key: string, ttl: CacheTtl): void {
    this.entries.delete(key);
    this.entries.set(key, this.now() + TTL_MS[ttl]);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
