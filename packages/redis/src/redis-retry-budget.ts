import type { RetryBudgetOptions } from '@detour/core/store';
import type { ChainableCommander, Redis } from 'ioredis';
import type { RedisKeys } from './redis-keys';
import type { DetourScripts } from './redis-scripts';

const bucketMs = 1000;
const bucketStart = (now: number) => now - (now % bucketMs);

/** The fleet-wide retry budget: requests counted locally and flushed in batches, retries taken in Redis. */
export interface RedisRetryBudget {
  /** Counts a request locally; no round trip. */
  deposit(now: number, options: RetryBudgetOptions): void;
  /** Sends the counted requests to Redis (INCRBY per one-second bucket). Rejects when Redis does; counts are kept. */
  flush(): Promise<void>;
  /** Takes a retry from the fleet's budget. Rejects when Redis does, so the caller can use its local budget. */
  spend(now: number, options: RetryBudgetOptions): Promise<boolean>;
}

/** Redis's answer to INCRBY on a key of another type, or on a string that is not a number. */
const isSpoiledKey = (error: Error | null | undefined): boolean =>
  error?.name === 'ReplyError' && (error.message.startsWith('WRONGTYPE') || error.message.includes('not an integer'));

/**
 * Creates the budget. Requests are the hot path, so they are only counted here and flushed about once a second;
 * retries are rare (a retry already means a failed attempt) and go to Redis each time, where one script checks
 * `retries + 1 ≤ floor + ratio × requests` across the fleet and takes the retry atomically. Requests not yet flushed
 * are passed along, so this instance's own traffic always counts.
 */
export const createRedisRetryBudget = (client: Redis & DetourScripts, keys: RedisKeys): RedisRetryBudget => {
  const pending = new Map<number, number>();
  let ttlMs = 10_000;
  // The latest time deposited, on the fleet's clock: what a failed flush measures the counts still worth keeping by.
  let latest = 0;

  /**
   * Drops counts the budget no longer reads. Without it, an outage (no flush runs) kept one bucket per second and the
   * rejoin wrote them all: 8,569 keys, and a 2 s stall, after a day.
   */
  const forgetOlderThan = (oldest: number) => {
    for (const start of pending.keys()) if (start <= oldest) pending.delete(start);
  };

  /** Adds `requests` to a bucket's count in `pipeline`, with the expiry every bucket key carries. */
  const addCount = (pipeline: ChainableCommander, start: number, requests: number) =>
    pipeline.incrby(keys.budgetRequests(start), requests).pexpire(keys.budgetRequests(start), ttlMs + 2 * bucketMs);

  const windowStarts = (now: number, windowMs: number) => {
    const starts: number[] = [];
    for (let start = bucketStart(now); start > now - windowMs; start -= bucketMs) starts.unshift(start);
    return starts;
  };

  return {
    deposit(now, options) {
      ttlMs = options.ttlMs;
      latest = Math.max(latest, now);
      const start = bucketStart(now);
      const count = pending.get(start);
      if (count === undefined) forgetOlderThan(bucketStart(latest) - ttlMs);
      pending.set(start, (count ?? 0) + 1);
    },
    async flush() {
      if (pending.size === 0) return;
      const batch = [...pending];
      pending.clear();
      const pipeline = client.pipeline();
      for (const [start, requests] of batch) addCount(pipeline, start, requests);
      try {
        const results = (await pipeline.exec()) ?? [];
        // A bucket key of another type, or not a number (written by a bug or by hand, perhaps ahead of time), is
        // replaced as the scripts replace theirs: taken for an outage, it kept every member local-only while Redis
        // worked.
        const spoiled = batch.filter((_, index) => isSpoiledKey(results[index * 2]?.[0]));
        // Any other refusal (out of memory, a read-only replica) is an outage: deleting the key then lost the fleet's
        // counts in it.
        const failure = results.find(([error]) => error && !isSpoiledKey(error))?.[0];
        if (failure) throw failure;
        if (spoiled.length > 0) {
          const repair = client.pipeline();
          for (const [start, requests] of spoiled) addCount(repair.del(keys.budgetRequests(start)), start, requests);
          const repaired = (await repair.exec()) ?? [];
          const repairFailure = repaired.find(([error]) => error)?.[0];
          if (repairFailure) throw repairFailure;
        }
      } catch (error) {
        // Keep the counts that still matter, to send with the next flush once Redis answers again.
        for (const [start, requests] of batch) pending.set(start, (pending.get(start) ?? 0) + requests);
        forgetOlderThan(bucketStart(latest) - ttlMs);
        throw error;
      }
    },
    async spend(now, options) {
      const starts = windowStarts(now, options.ttlMs);
      let unflushed = 0;
      for (const start of starts) unflushed += pending.get(start) ?? 0;
      const floor = options.minPerSecond * (options.ttlMs / 1000);
      const taken = await client.detourSpendRetry(
        String(starts.length * 2),
        ...starts.map((start) => keys.budgetRequests(start)),
        ...starts.map((start) => keys.budgetRetries(start)),
        String(starts.length), String(floor), String(options.ratio), String(unflushed), String(options.ttlMs + 2 * bucketMs),
      );
      return taken === 1;
    },
  };
};
