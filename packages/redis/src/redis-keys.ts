/** The Redis keys and channel of one Detour fleet, all under one prefix so fleets can share a Redis. */
export interface RedisKeys {
  /** Hash of one endpoint's shared state. */
  endpoint(name: string): string;
  /** Sorted set of one endpoint's half-open probes in flight: member = probe id, score = lease expiry (server ms). */
  probes(name: string): string;
  /** Set of every endpoint name with state, so a reload needs no SCAN. */
  readonly endpoints: string;
  /** Requests counted into the retry budget in the one-second bucket starting at `start`. */
  budgetRequests(start: number): string;
  /** Retries spent in the one-second bucket starting at `start`. */
  budgetRetries(start: number): string;
  /** Where every change is published. */
  readonly channel: string;
  /** Hash of the fleet's quota ledger: running spend and the newest reading per (endpoint, model). */
  readonly quota: string;
  /** Sorted set of the ledger's pairs by when they were last reported: the oldest go first past the bound. */
  readonly quotaPairs: string;
}

/**
 * The hash tag every key of a fleet starts with. Redis Cluster hashes only the part between the first `{` and the
 * next `}`, so every key of one fleet lands in one slot and no script (each touches several keys: an endpoint hash,
 * the endpoint set, a probe set, or a window of budget buckets) can fail with CROSSSLOT. One slot per fleet is no
 * bottleneck: a fleet's state is a few small keys. The tag is the prefix without its trailing colon:
 * `detour:` → `{detour}:`. A prefix with a `}` would end the tag early, yet inside the prefix, so the keys still
 * share it.
 */
const hashTag = (prefix: string): string => {
  const name = prefix.endsWith(':') ? prefix.slice(0, -1) : prefix;
  // `{}` is no tag at all: Redis would hash each whole key, to different slots.
  if (name === '' || name.startsWith('}')) throw new Error(`redis prefix "${prefix}" leaves an empty hash tag; use a name such as "detour:"`);
  return prefix.endsWith(':') ? `{${name}}:` : `{${name}}`;
};

/**
 * Builds a fleet's key names: `{detour}:endpoint:<name>`, `{detour}:probes:<name>`, `{detour}:endpoints`,
 * `{detour}:budget:requests:<start>`, `{detour}:budget:retries:<start>`, and the channel `detour:events`.
 * @param prefix names the fleet; its hash tag starts every key. @default 'detour:'
 */
export const redisKeys = (prefix = 'detour:'): RedisKeys => {
  const tag = hashTag(prefix);
  return {
    quota: `${tag}quota`,
    quotaPairs: `${tag}quota-pairs`,
    endpoint: (name) => `${tag}endpoint:${name}`,
    probes: (name) => `${tag}probes:${name}`,
    endpoints: `${tag}endpoints`,
    budgetRequests: (start) => `${tag}budget:requests:${start}`,
    budgetRetries: (start) => `${tag}budget:retries:${start}`,
    // Pub/sub channels are not keys: a Cluster broadcasts PUBLISH to every node, whatever the name.
    channel: `${prefix}events`,
  };
};
