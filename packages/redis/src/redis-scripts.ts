import type { Redis } from 'ioredis';

// Every script is one atomic step on the server, so two gateways writing at once cannot interleave a read and a
// write. Each one that changes an endpoint publishes what it changed (a delta, never the whole hash: with many
// models cooling, republishing everything on each change multiplied pub/sub traffic by the number of fields), so a
// subscriber needs no second round trip, and a duplicate or reordered message merges to the same result (see
// core's mergeSharedBreaker). Numbers travel as the strings the caller sent: Lua 5.1 would print large numbers in exponent form.

/**
 * Makes a key of the wrong type (a string where a hash belongs, from a bug or a hand) into an absent one, so one bad
 * key cannot fail every script that touches it: each failure read as an outage and turned fleet sharing off.
 */
const own = `
local function own(key, kind)
  local found = redis.call('TYPE', key)['ok']
  if found ~= 'none' and found ~= kind then redis.call('DEL', key) end
end
`;

/**
 * How long an endpoint's hash outlives its last write: twice the longest deadline a member adopts (a day, core's
 * `fleetHorizonMs`), so a hash expires only when nothing in it still holds. An endpoint renamed or removed from every
 * configuration (or a key's old name) then leaves the fleet's state within two days instead of being reloaded by
 * every member every second for ever (attack 19, F4).
 */
export const endpointStateTtlMs = 2 * 86_400_000;

const publish = (fields: string) => `
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[2], cjson.encode({ endpoint = ARGV[1], fields = ${fields} }))
`;

/**
 * Raises one deadline field (cooldown, disable, or `model:<name>`); the later deadline always wins, so an earlier
 * cooldown arriving late never shortens one another gateway set. Model fields are pruned on every write, whether it
 * raises its field or loses to a later deadline, and whatever field it names: deadlines at or before `now` are
 * deleted, so expired model cooldowns do not stay in the hash (and in every reload) until the next model write
 * wins. After a model write at most `max` stay (the soonest to expire give way), so a caller cycling through
 * invented model names cannot grow the hash. Publishes only the raised field and the reason.
 * A disable carries the fingerprint of the credential that earned it (`by`, '' for none), kept in `disabledBy`: the
 * later deadline wins between disables of one credential, and a disable of another credential gives way whatever
 * its deadline (core's `withDisable`), so a replaced key is never held to the old key's disable.
 * KEYS: endpoint hash, endpoint set. ARGV: endpoint, channel, field, until, reason, now, max, by.
 * Returns 1 when it raised it.
 */
export const raiseDeadlineScript = `${own}
own(KEYS[1], 'hash')
own(KEYS[2], 'set')
local now, max = tonumber(ARGV[6]), tonumber(ARGV[7])
local all = redis.call('HGETALL', KEYS[1])
local live = {}
for index = 1, #all, 2 do
  local field = all[index]
  if string.sub(field, 1, 6) == 'model:' then
    local deadline = tonumber(all[index + 1]) or 0
    if deadline <= now then redis.call('HDEL', KEYS[1], field) else live[#live + 1] = { field, deadline } end
  end
end
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[3]) or '0') or 0
-- Listed even when it loses: a rejoin repairs a lost endpoint set this way, where it had re-sent every reload.
redis.call('SADD', KEYS[2], ARGV[1])
local by = ARGV[8] or ''
local disable = ARGV[3] == 'disabledUntil'
local foreign = disable and (redis.call('HGET', KEYS[1], 'disabledBy') or '') ~= by
if not foreign and tonumber(ARGV[4]) <= current then return 0 end
redis.call('HSET', KEYS[1], ARGV[3], ARGV[4], 'reason', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ${endpointStateTtlMs})
local published = { ARGV[3], ARGV[4], 'reason', ARGV[5] }
if disable then
  if by == '' then redis.call('HDEL', KEYS[1], 'disabledBy') else redis.call('HSET', KEYS[1], 'disabledBy', by) end
  published[#published + 1] = 'disabledBy'
  published[#published + 1] = by
end
if string.sub(ARGV[3], 1, 6) == 'model:' then
  live = {}
  all = redis.call('HGETALL', KEYS[1])
  for index = 1, #all, 2 do
    if string.sub(all[index], 1, 6) == 'model:' then live[#live + 1] = { all[index], tonumber(all[index + 1]) or 0 } end
  end
  if #live > max then
    table.sort(live, function(a, b) return a[2] < b[2] end)
    for index = 1, #live - max do redis.call('HDEL', KEYS[1], live[index][1]) end
  end
end
${publish('published')}
return 1
`;

/**
 * Merges a breaker transition into the shared breaker with the rules of `mergeSharedBreaker`: open and open take
 * the later openUntil (and the larger generation and trips); open and closed take the higher generation, the open
 * on a tie; closed and closed take the higher generation. A change of position clears the probe slots, which
 * belonged to the half-open period that just ended.
 * KEYS: endpoint hash, endpoint set, probe set. ARGV: endpoint, channel, position, openUntil, generation, trips.
 * Returns the stored breaker afterwards: { position, openUntil, generation, trips }.
 */
export const transitionScript = `${own}
own(KEYS[1], 'hash')
own(KEYS[2], 'set')
own(KEYS[3], 'zset')
local stored = redis.call('HMGET', KEYS[1], 'breakerPosition', 'breakerOpenUntil', 'breakerGeneration', 'breakerTrips')
local position, openUntil, generation, trips = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
-- A stored field that is no number (written by hand or a bug) counts as 0, and a stored position that is neither
-- open nor closed as none: a breaker script that failed on one would fail on every transition, fleet-wide.
local function number(value) return tonumber(value) or 0 end
if stored[1] ~= 'open' and stored[1] ~= 'closed' then stored[1] = false end
local changed = false
if not stored[1] then
  changed = true
elseif stored[1] == 'open' and position == 'open' then
  local function larger(mine, theirs) if number(mine) > number(theirs) then changed = true return mine end return theirs end
  openUntil = larger(openUntil, stored[2])
  generation = larger(generation, stored[3])
  trips = larger(trips, stored[4])
elseif stored[1] == position then
  if number(generation) > number(stored[3]) then changed = true else generation = stored[3] end
  openUntil, trips = stored[2], stored[4]
else
  local beats = number(generation) > number(stored[3]) or (position == 'open' and number(generation) == number(stored[3]))
  if beats then
    changed = true
    redis.call('DEL', KEYS[3])
  else
    position, openUntil, generation, trips = stored[1], stored[2], stored[3], stored[4]
  end
end
if changed then
  redis.call('HSET', KEYS[1], 'breakerPosition', position, 'breakerOpenUntil', openUntil, 'breakerGeneration', generation, 'breakerTrips', trips)
  redis.call('PEXPIRE', KEYS[1], ${endpointStateTtlMs})
  ${publish("{ 'breakerPosition', position, 'breakerOpenUntil', openUntil, 'breakerGeneration', generation, 'breakerTrips', trips }")}
end
return { position, openUntil, generation, trips }
`;

/**
 * Takes a half-open probe slot for the whole fleet, so at most `halfOpenProbes` probes are in flight at once however
 * many gateways there are. Refuses while the shared breaker is still open, and reports a close from a newer
 * generation instead of probing. Each slot is a lease: member = the probe's id (only that probe's result frees it,
 * with ZREM of its own id), score = when the lease runs out. Leases are timed by the Redis server's clock (TIME;
 * Redis 7 replicates a script's effects, so reading the clock is allowed): gateways whose clocks disagree by
 * seconds would otherwise free each other's slots early or hold them late. `now` (the caller's clock) is only
 * compared with `openUntil`, which callers computed on their own clocks.
 * KEYS: endpoint hash, probe set. ARGV: now, limit, probeTimeoutMs, probe id, local generation.
 * Returns { verdict ('admitted' | 'full' | 'open' | 'closed'), position, openUntil, generation, trips, ...the age in
 * ms of every live lease (server clock) }.
 */
export const takeProbeScript = `${own}
own(KEYS[1], 'hash')
own(KEYS[2], 'zset')
local stored = redis.call('HMGET', KEYS[1], 'breakerPosition', 'breakerOpenUntil', 'breakerGeneration', 'breakerTrips')
local now = tonumber(ARGV[1])
local timeout = tonumber(ARGV[3])
local time = redis.call('TIME')
local serverNow = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local function answer(verdict, leases)
  local reply = { verdict, stored[1] or '', stored[2] or '0', stored[3] or '0', stored[4] or '0' }
  for index = 2, #leases, 2 do reply[#reply + 1] = tostring(math.max(0, serverNow - (tonumber(leases[index]) - timeout))) end
  return reply
end
if stored[1] == 'closed' and (tonumber(stored[3]) or 0) > tonumber(ARGV[5]) then return answer('closed', {}) end
if stored[1] == 'open' and now < (tonumber(stored[2]) or 0) then return answer('open', {}) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', serverNow)
local verdict = 'full'
if redis.call('ZCARD', KEYS[2]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[2], serverNow + timeout, ARGV[4])
  redis.call('PEXPIRE', KEYS[2], timeout)
  verdict = 'admitted'
end
return answer(verdict, redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES'))
`;

/**
 * Takes one retry from the fleet's budget: allowed while retries + 1 ≤ floor + ratio × requests over the window,
 * counted across every gateway. The current bucket is the last of each list.
 * KEYS: n request buckets, then n retry buckets. ARGV: n, floor, ratio, requests not yet flushed, bucket lifetime ms.
 * Returns 1 when the retry was taken.
 */
export const spendRetryScript = `
local count = tonumber(ARGV[1])
local requests, retries = tonumber(ARGV[4]), 0
-- A bucket key of another type (or no integer) counts as empty and is removed, so INCR works again.
local function counted(key)
  local value = redis.pcall('GET', key)
  if type(value) == 'table' or (value and not tonumber(value)) then redis.call('DEL', key) return 0 end
  return tonumber(value or '0')
end
for index = 1, count do
  requests = requests + counted(KEYS[index])
  retries = retries + counted(KEYS[count + index])
end
if math.floor(tonumber(ARGV[2]) + tonumber(ARGV[3]) * requests - retries) < 1 then return 0 end
redis.call('INCR', KEYS[count * 2])
redis.call('PEXPIRE', KEYS[count * 2], ARGV[5])
return 1
`;

/**
 * Merges one instance's quota report into the fleet's ledger and answers with what changed since the instance's
 * last exchange, in one step. Fields are `<pair>|s|<dimension>` (running spend, HINCRBYFLOAT) and `<pair>|r` (the
 * newest reading as JSON, stamped `<pair>|a`; a newer one replaces it), and `<pair>|f`, when the ledger first heard of
 * the pair (server time). A pair is the URI-encoded `endpoint` NUL
 * `model`, so no field name collides. A sorted set scores each pair by the exchange that last reported it (the
 * server's clock, in µs): the answer holds only the pairs reported after `since` (every pair when it is 0,
 * an instance's first exchange), so an exchange costs what changed, not the whole ledger. (Model names are callers'
 * input: 2,048 pairs of 250-character names made every answer 2.2 MB, 26 ms of Redis time, past the command
 * timeout under load, until gateways dropped to local-only.) The ledger holds at most `maxPairs` pairs; the least
 * recently reported go, fields and all, past the bound.
 * A reading's stamp is server time (members convert theirs); one stamped after the server's own clock is stamped
 * with the server's now, and a stored stamp past it is no stamp, so a member with a fast clock cannot hold the
 * newest reading for the length of its error.
 * KEYS: the ledger hash, the pairs' sorted set. ARGV: the report as JSON `[[pair, {dimension: spent}, readingJson |
 * false, at]]`, the TTL in ms (refreshed on every exchange, so an idle fleet's ledger expires), `maxPairs`, the
 * dimensions' names as JSON, and `since`. Returns `{ this exchange's score, ...field, value pairs }`.
 */
export const exchangeQuotaScript = `${own}
own(KEYS[1], 'hash')
own(KEYS[2], 'zset')
local report = cjson.decode(ARGV[1])
local dimensions = cjson.decode(ARGV[4])
local time = redis.call('TIME')
local order = tonumber(time[1]) * 1000000 + tonumber(time[2])
local serverNow = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
-- Scores never go back, even when the server's clock does: a report scored below a caller's cursor would be hidden
-- from it until reported again. A cursor past every score (a ledger emptied meanwhile) asks for everything.
local top = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if top[2] and tonumber(top[2]) >= order then order = tonumber(top[2]) + 1 end
local since = ARGV[5]
if tonumber(since) >= order then since = '0' end
for _, entry in ipairs(report) do
  local pair = entry[1]
  -- A pair new to the ledger is dated now, over any date an earlier version's eviction left behind; a known one
  -- keeps its date (set now if it has none: a pair an earlier version began).
  if redis.call('ZADD', KEYS[2], order, pair) == 1 then
    redis.call('HSET', KEYS[1], pair .. '|f', string.format('%.0f', serverNow))
  else
    redis.call('HSETNX', KEYS[1], pair .. '|f', string.format('%.0f', serverNow))
  end
  for dimension, amount in pairs(entry[2]) do
    -- A spend field that holds no number (a bug, a hand) starts again from this report's amount.
    if type(redis.pcall('HINCRBYFLOAT', KEYS[1], pair .. '|s|' .. dimension, amount)) == 'table' then
      redis.call('HSET', KEYS[1], pair .. '|s|' .. dimension, amount)
    end
  end
  if entry[3] then
    local at = math.min(tonumber(entry[4]) or 0, serverNow)
    local current = tonumber(redis.call('HGET', KEYS[1], pair .. '|a') or '')
    if not current or current > serverNow or current < at then
      redis.call('HSET', KEYS[1], pair .. '|r', entry[3], pair .. '|a', string.format('%.0f', at))
    end
  end
end
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if over > 0 then
  local popped = redis.call('ZPOPMIN', KEYS[2], over)
  for index = 1, #popped, 2 do
    local pair = popped[index]
    redis.call('HDEL', KEYS[1], pair .. '|r', pair .. '|a', pair .. '|f')
    for _, dimension in ipairs(dimensions) do redis.call('HDEL', KEYS[1], pair .. '|s|' .. dimension) end
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
local reply = { string.format('%.0f', order) }
local fields = { '|r', '|a', '|f' }
for _, dimension in ipairs(dimensions) do fields[#fields + 1] = '|s|' .. dimension end
for _, pair in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. since, '+inf')) do
  local names = {}
  for index, suffix in ipairs(fields) do names[index] = pair .. suffix end
  local values = redis.call('HMGET', KEYS[1], unpack(names))
  for index, name in ipairs(names) do
    if values[index] then
      reply[#reply + 1] = name
      reply[#reply + 1] = values[index]
    end
  end
end
return reply
`;

/**
 * Takes out of the endpoint set the names whose hash is gone (expired, evicted, deleted), each only if it is still
 * gone when the script runs: a member writing it meanwhile lists it again anyway.
 * KEYS: endpoint set, then each name's hash. ARGV: each name, in the order of its hash.
 * Returns how many it took out.
 */
export const pruneEndpointsScript = `
local pruned = 0
for index = 1, #ARGV do
  if redis.call('EXISTS', KEYS[index + 1]) == 0 then pruned = pruned + redis.call('SREM', KEYS[1], ARGV[index]) end
end
return pruned
`;

/**
 * Gives each endpoint hash without an expiry (written by an earlier version, which set none) the one every write now
 * sets ({@link endpointStateTtlMs}), so names of old configurations leave the fleet's state too.
 * KEYS: the endpoint hashes. Returns how many it gave one.
 */
export const boundEndpointsScript = `
local bounded = 0
for index = 1, #KEYS do
  if redis.call('PTTL', KEYS[index]) == -1 then
    redis.call('PEXPIRE', KEYS[index], ${endpointStateTtlMs})
    bounded = bounded + 1
  end
end
return bounded
`;

/** The scripts as commands on a connection (run with EVALSHA, falling back to EVAL after a Redis restart). */
export interface DetourScripts {
  detourRaiseDeadline(
    hash: string, endpoints: string, endpoint: string, channel: string, field: string, until: string, reason: string, now: string, max: string,
    by: string,
  ): Promise<number>;
  detourTransition(
    hash: string, endpoints: string, probes: string, endpoint: string, channel: string,
    position: string, openUntil: string, generation: string, trips: string,
  ): Promise<string[]>;
  detourTakeProbe(hash: string, probes: string, now: string, limit: string, probeTimeoutMs: string, id: string, generation: string): Promise<string[]>;
  detourSpendRetry(...keysThenArguments: string[]): Promise<number>;
  detourExchangeQuota(ledger: string, pairs: string, report: string, ttlMs: string, maxPairs: string, dimensions: string, since: string): Promise<string[]>;
  detourPruneEndpoints(...keysThenNames: string[]): Promise<number>;
  detourBoundEndpoints(...keys: string[]): Promise<number>;
}

/** Registers the scripts on a connection and returns it typed with them. */
export const defineDetourScripts = (client: Redis): Redis & DetourScripts => {
  client.defineCommand('detourRaiseDeadline', { numberOfKeys: 2, lua: raiseDeadlineScript });
  client.defineCommand('detourTransition', { numberOfKeys: 3, lua: transitionScript });
  client.defineCommand('detourTakeProbe', { numberOfKeys: 2, lua: takeProbeScript });
  // The number of keys depends on the budget window, so it is given per call.
  client.defineCommand('detourSpendRetry', { lua: spendRetryScript });
  client.defineCommand('detourExchangeQuota', { numberOfKeys: 2, lua: exchangeQuotaScript });
  // The number of keys is one more than the names pruned, so it is given per call.
  client.defineCommand('detourPruneEndpoints', { lua: pruneEndpointsScript });
  client.defineCommand('detourBoundEndpoints', { lua: boundEndpointsScript });
  return client as Redis & DetourScripts;
};
