/** The Redis keys and channel of one Detour fleet, all under one prefix so fleets can share a Redis. */
export interface RedisKeys {
  /** Hash of one endpoint's shared state. */
  endpoint(name: string): string;
  /** Sorted set of one endpoint's half-open probes in flight: member = probe id, score = start time. */
  probes(name: string): string;
  /** Set of every endpoint name with state, so a reload needs no SCAN. */
  readonly endpoints: string;
  /** Requests counted into the retry budget in the one-second bucket starting at `start`. */
  budgetRequests(start: number): string;
  /** Retries spent in the one-second bucket starting at `start`. */
  budgetRetries(start: number): string;
  /** Where every change is published. */
  readonly channel: string;
}

/**
 * Builds a fleet's key names.
 * @param prefix put in front of every key and the channel. @default 'detour:'
 */
export const redisKeys = (prefix = 'detour:'): RedisKeys => ({
  endpoint: (name) => `${prefix}endpoint:${name}`,
  probes: (name) => `${prefix}probes:${name}`,
  endpoints: `${prefix}endpoints`,
  budgetRequests: (start) => `${prefix}budget:requests:${start}`,
  budgetRetries: (start) => `${prefix}budget:retries:${start}`,
  channel: `${prefix}events`,
});
