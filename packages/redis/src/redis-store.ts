import {
  createOutageLog, createSharedStore, type FleetEndpointState, initialEndpointState, maxFleetOnlyEndpoints, maxModelCooldowns,
  type RemoteState, type SharedBreaker,
} from '@detour/core/store';
import type { Clock, EndpointState, StateStore } from '@detour/core';
import { systemClock } from '@detour/core/binding';
import type { Redis, RedisOptions } from 'ioredis';
import { endpointFields, modelField, readEndpointHash, storedNumber } from './endpoint-hash';
import { createFleetClock } from './fleet-clock';
import { authFault } from './redis-auth-fault';
import { commandOptions, connectRedis, describeRedisUrl, subscriberOptions } from './redis-connections';
import { redisKeys } from './redis-keys';
import { decodeQuotaLedger, encodeQuotaReport, ledgerDimensions, maxLedgerPairs, quotaLedgerTtlMs, restampShares } from './quota-ledger';
import { createRedisRetryBudget } from './redis-retry-budget';
import { defineDetourScripts } from './redis-scripts';
import { fleetLostState, inWaves, rejoinWave, rejoinWrites } from './rejoin-writes';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://host:port/db`. */
  readonly url: string;
  /** Put in front of every key and the channel, so fleets can share a Redis. @default 'detour:' */
  readonly prefix?: string;
  /** How often the whole fleet state is reloaded, in case a published change was lost. @default 1000 */
  readonly refreshMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * Whether times travel to Redis in the server's clock (see "Time" below). @default true without `clock`; false
   * with one, since an injected clock is usually a test's fake one, which moves only when told while the server's
   * does not (each reload would take the jump for the clocks drifting apart, and stretch every shared deadline).
   */
  readonly serverClock?: boolean;
  /** Where the one line per outage goes. @default console.warn */
  readonly log?: (message: string) => void;
  /** Builds a connection; tests pass one to wrap or slow down commands. @default `new Redis(url, options)` */
  readonly redis?: (url: string, options: RedisOptions) => Redis;
}

/** A {@link StateStore} shared by a fleet of gateways through Redis. */
export interface RedisStore extends StateStore {
  /** Always synchronous: answers from the local view. */
  read(endpoint: string): EndpointState;
  /** The local view of every endpoint, for health pages and tests. */
  entries(): IterableIterator<[string, EndpointState]>;
  /**
   * Settles once the store has subscribed and loaded the fleet's state, or as soon as the first connection attempt
   * fails (the store then runs on local state and joins when Redis answers). A subscription that takes longer than
   * two seconds is not waited for (the store says so in the log, and reloads meanwhile). Never rejects.
   */
  readonly ready: Promise<void>;
  /** True while Redis answers; false in local-only mode. */
  readonly connected: boolean;
  /**
   * Why Redis will not take this store until its configuration changes, in words safe to show (the server by host and
   * port, never the password or the URL's credentials): it refused the credentials (`WRONGPASS`, `NOAUTH`, a failed
   * AUTH). The store then runs local-only, as in an outage, but an outage heals by itself and is no fault.
   * Undefined again once Redis takes the connection.
   */
  readonly fault: string | undefined;
  /** Flushes counted requests when it can and closes both connections. */
  close(): Promise<void>;
}

const flushEveryMs = 1000;
/** How far this instance's clock may be off the Redis server's before the log says so. */
const clockNoticeMs = 1000;
/** How long `ready` waits for the subscription before it settles without it. */
export const subscribeWaitMs = 2000;
/** Probe slots kept to free at the rejoin; past this, the oldest is left to expire after `probeTimeoutMs`. */
const maxOrphanLeases = 1024;

/**
 * Creates a state store that a fleet of gateways shares through Redis, without a round trip per request.
 *
 * Each instance keeps a local view (a core memory store) and answers `read` from it synchronously. Writes apply to
 * the local view first, then go to Redis in the background through Lua scripts that merge them (the later deadline
 * wins; breaker transitions merge as in core's `mergeSharedBreaker`) and PUBLISH the fields they changed; every instance subscribes on a
 * second connection and folds published changes into its view. Only two calls wait for Redis, and only when they
 * are rare: `admit` while the breaker is open or half-open (to take a probe slot fleet-wide, so the fleet sends at
 * most `halfOpenProbes` probes at once) and `spendRetry` (only called on retries).
 *
 * Staleness bound: a change made on one instance reaches the others after one pub/sub delivery (about a
 * millisecond on a LAN). If a message is lost, the full reload every `refreshMs` repairs the view, so a change is
 * at most `refreshMs` (plus one round trip) late. While Redis is down or slower than 200 ms, every instance runs on
 * its local state alone (no request fails or waits) and logs the outage once; when Redis answers again, the store
 * re-publishes its own live deadlines and breakers (they merge, so newer fleet state is not overwritten) and reloads
 * the fleet's.
 *
 * Time: everything that travels as a time (deadlines, a breaker's `openUntil`, quota readings' stamps, budget buckets)
 * goes to Redis in the server's time and comes back in this instance's (measured against Redis's `TIME`), so members
 * whose clocks disagree still agree on when a deadline ends.
 *
 * Quota (admission): each instance exchanges its spend and newest rate-limit readings with a ledger hash in Redis
 * at most every `admission.fleetSyncMs` (one script call, in the background); see docs/quota.md for the bound.
 *
 * @example
 * const store = createRedisStore({ url: process.env.REDIS_URL });
 * await store.ready;
 * const router = createRouter(options, { store });
 */
export const createRedisStore = (options: RedisStoreOptions): RedisStore => {
  const { url, refreshMs = 1000, clock = systemClock, log = (message: string) => console.warn(message), serverClock = options.clock === undefined } = options;
  const connect = options.redis ?? connectRedis;
  const keys = redisKeys(options.prefix);
  const outage = createOutageLog(describeRedisUrl(url), log);
  const client = defineDetourScripts(connect(url, commandOptions));
  const subscriber = connect(url, subscriberOptions);
  const budget = createRedisRetryBudget(client, keys);
  const instance = globalThis.crypto.randomUUID();
  // Every time that goes to Redis goes in the server's time, and comes back in this instance's.
  const fleetClock = createFleetClock();
  let probeCount = 0;
  let closed = false;
  const stoppers: (() => void)[] = [];

  /** Hot-path writes go to Redis only while it answers; the rejoin re-publishes what was skipped. */
  const usable = () => !closed && client.status === 'ready' && !outage.down;

  /** The fleet breaker a script answered with, when it has one (`open` or `closed`). */
  const fleetBreaker = (position: string | undefined, openUntil: string | undefined, generation: string | undefined, trips: string | undefined): FleetEndpointState | undefined =>
    position === 'open' || position === 'closed'
      ? {
        cooldownUntil: 0, disabledUntil: 0, modelCooldowns: {}, reason: undefined,
        breaker: { position, openUntil: fleetClock.toLocal(storedNumber(openUntil)), generation: storedNumber(generation), trips: storedNumber(trips) },
      }
      : undefined;

  /** Background writes skipped while Redis was not usable: each is in the local state the rejoin re-publishes. */
  let skippedWrites = 0;
  /**
   * Probe slots this instance may hold in Redis but no longer uses (lease → endpoint): given back while Redis could
   * not hear it, or taken by a call whose answer was lost. The rejoin frees them; left in Redis, each kept every
   * member from probing the endpoint for `probeTimeoutMs`.
   */
  const orphanLeases = new Map<string, string>();
  const orphan = (endpoint: string, lease: string) => {
    if (orphanLeases.size >= maxOrphanLeases) orphanLeases.delete(orphanLeases.keys().next().value!);
    orphanLeases.set(lease, endpoint);
  };

  /** A failed command switches the store to local-only mode; after `close()` it is only the connection closing. */
  const failed = (error: unknown) => {
    if (!closed) outage.fail(error);
  };

  /**
   * Background writes sent and not answered yet: `close()` waits for them (each is bounded by the command timeout),
   * so what a request did just before a shutdown reaches the fleet. A probe slot given back as the gateway stopped was
   * cut off by the disconnect, and kept every member off the recovered endpoint for `probeTimeoutMs` (attack 19, F2).
   */
  const unanswered = new Set<Promise<unknown>>();
  /**
   * Runs a background command; a failure only switches the store to local-only mode. `unsent` runs when the command
   * was skipped or failed, for a write the local state cannot bring back at the rejoin (a probe slot's release).
   */
  const background = (command: () => Promise<unknown>, unsent?: () => void) => {
    if (!usable()) {
      skippedWrites += 1;
      unsent?.();
      return;
    }
    const sent = command().catch((error: unknown) => {
      unsent?.();
      failed(error);
    });
    unanswered.add(sent);
    void sent.finally(() => unanswered.delete(sent));
  };

  const raiseDeadline = (endpoint: string, field: string, until: number, reason: string, now = clock.now(), credential?: string) =>
    client.detourRaiseDeadline(
      keys.endpoint(endpoint), keys.endpoints, endpoint, keys.channel, field, String(fleetClock.toFleet(until)), reason,
      String(fleetClock.toFleet(now)), String(maxModelCooldowns), credential ?? '',
    );

  const transition = async (endpoint: string, breaker: SharedBreaker) => {
    const [position, openUntil, generation, trips] = await client.detourTransition(
      keys.endpoint(endpoint), keys.endpoints, keys.probes(endpoint), endpoint, keys.channel,
      breaker.position, String(fleetClock.toFleet(breaker.openUntil)), String(breaker.generation), String(breaker.trips),
    );
    return fleetBreaker(position, openUntil, generation, trips);
  };

  const remote: RemoteState = {
    usable,
    run: background,
    failed,
    async takeProbe(endpoint, now, breakerOptions, before) {
      const lease = `${instance}:${(probeCount += 1)}`;
      const [verdict, position, openUntil, generation, trips, ...ages] = await client.detourTakeProbe(
        keys.endpoint(endpoint), keys.probes(endpoint), String(fleetClock.toFleet(now)), String(breakerOptions.halfOpenProbes), String(breakerOptions.probeTimeoutMs),
        lease, String(before.generation),
      ).catch((error: unknown) => {
        // The script may have run and only its answer been lost (a timeout): the slot it took is freed at the rejoin.
        orphan(endpoint, lease);
        throw error;
      });
      return {
        verdict: verdict === 'admitted' || verdict === 'full' ? verdict : 'local',
        fleet: fleetBreaker(position, openUntil, generation, trips),
        generation: before.generation,
        // Lease ages come from the server's clock; as start times on this instance's clock they are `now - age`.
        probes: ages.map((age) => now - Number(age)),
        lease,
      };
    },
    releaseProbe: (endpoint, lease) => background(() => client.zrem(keys.probes(endpoint), lease), () => orphan(endpoint, lease)),
    transition: (endpoint, breaker) => transition(endpoint, breaker),
    async raiseDeadline(endpoint, field, model, until, reason, now, credential) {
      await raiseDeadline(endpoint, field === 'disable' ? endpointFields.disabledUntil : model === undefined ? endpointFields.cooldownUntil : modelField(model), until, reason, now, credential);
      return undefined;
    },
    // The budget's one-second buckets are the fleet's: a member with a fast clock counts in the same ones.
    deposit: (now, budgetOptions) => budget.deposit(fleetClock.toFleet(now), budgetOptions),
    spendRetry: (now, budgetOptions) => budget.spend(fleetClock.toFleet(now), budgetOptions),
    // One script call per `admission.fleetSyncMs` per router, never per request; it answers with what changed since
    // the score in the router's cursor (everything without one, or the first time).
    async exchangeQuota(report, _now, cursor) {
      const since = typeof cursor?.position === 'string' ? cursor.position : '0';
      const [order, ...changed] = await client.detourExchangeQuota(
        keys.quota, keys.quotaPairs, encodeQuotaReport(restampShares(report, fleetClock.toFleet)), String(quotaLedgerTtlMs),
        String(maxLedgerPairs), ledgerDimensions, since,
      );
      if (cursor && order !== undefined) cursor.position = order;
      // A time converted a millisecond past this instance's now would be read as from the future.
      const now = clock.now();
      return restampShares(decodeQuotaLedger(changed), (at) => Math.min(now, fleetClock.toLocal(at)));
    },
  };
  const store = createSharedStore(remote, { clock });

  /**
   * Says once (and again when it moves by a second or more) that this instance's clock is a second or more off the
   * server's: the fleet is unaffected, since times are converted, but the operator's logs on this host are not.
   */
  let saidOffset = 0;
  const sayOffset = () => {
    const offset = fleetClock.offsetMs;
    if (Math.abs(offset - saidOffset) < clockNoticeMs) return;
    saidOffset = offset;
    if (Math.abs(offset) < clockNoticeMs) return;
    log(`detour: this instance's clock is ${Math.abs(offset)} ms ${offset > 0 ? 'ahead of' : 'behind'} the clock of ${describeRedisUrl(url)}; the fleet's deadlines are converted to the server's`);
  };

  /**
   * Loads every endpoint the fleet knows and folds it into the local view, and reads the server's clock. A key of the
   * wrong type (written by a bug or by hand) is skipped, never taken for an outage: one such key turned sharing off
   * for the whole fleet.
   */
  let bounded = false;
  // How many names the last reload found listed: past the view's bound, endpoints no router had tracked yet were left.
  let lastListed = 0;
  const reload = async (republishAfter = false) => {
    const pipeline = client.pipeline().time().smembers(keys.endpoints);
    const sentAt = clock.now();
    const [[timeError, time] = [new Error('no reply')], [namesError, names] = [null, []]] = ((await pipeline.exec()) ?? []) as [Error | null, unknown][];
    if (timeError) throw timeError;
    if (namesError && namesError.name !== 'ReplyError') throw namesError;
    if (serverClock) {
      fleetClock.sample(time as string[], sentAt, clock.now());
      sayOffset();
    }
    // A missing or malformed set (WRONGTYPE) lists nobody; the next write repairs it.
    const listed = Array.isArray(names) ? (names as string[]) : [];
    lastListed = listed.length;
    // The fleet's state as read, in this instance's time: what a republish need not send back.
    const fleet = new Map<string, FleetEndpointState>();
    // Listed names whose hash is gone: taken out of the list, which every member reloads every `refreshMs`.
    const gone: string[] = [];
    if (listed.length > 0) {
      const hashes = client.pipeline();
      for (const name of listed) hashes.hgetall(keys.endpoint(name));
      const results = (await hashes.exec()) ?? [];
      results.forEach(([error, hash], index) => {
        // Redis's own answer to a bad key (WRONGTYPE) skips that key; anything else (a timeout) is an outage.
        if (error && error.name !== 'ReplyError') throw error;
        if (error) return;
        // An empty hash expired, was evicted or deleted: read as not listed, so the live state it held goes back.
        if (Object.keys(hash as Record<string, string>).length === 0) {
          gone.push(listed[index]!);
          return;
        }
        const state = fleetClock.stateToLocal(readEndpointHash(hash as Record<string, string>));
        fleet.set(listed[index]!, state);
        store.adopt(listed[index]!, state);
      });
    }
    for (let start = 0; start < gone.length; start += rejoinWave) {
      const names = gone.slice(start, start + rejoinWave);
      await client.detourPruneEndpoints(String(names.length + 1), keys.endpoints, ...names.map((name) => keys.endpoint(name)), ...names);
    }
    // Once per process: hashes an earlier version wrote without an expiry get one.
    if (!bounded) {
      const names = [...fleet.keys()];
      for (let start = 0; start < names.length; start += rejoinWave) {
        const wave = names.slice(start, start + rejoinWave).map((name) => keys.endpoint(name));
        await client.detourBoundEndpoints(String(wave.length), ...wave);
      }
      bounded = true;
    }
    // Rejoining after an outage (or on a new connection, when Redis may have restarted empty): the outage ends only
    // once this instance's state is back, so a Redis that answers reads and refuses writes is one outage, not one a
    // second.
    if (outage.down || republishAfter) {
      const skippedBefore = skippedWrites;
      await republish(fleet);
      outage.recover();
      // A write skipped while the republish was under way came after its snapshot: with writes going straight to
      // Redis again, one more republish sends it (a 429 in that window was otherwise never shared).
      if (skippedWrites !== skippedBefore) await republish(fleet);
    } else if (fleetLostState(store.entries(), fleet, clock.now(), store.tracked)) {
      await republish(fleet);
    }
  };

  /**
   * Sends Redis what this instance holds and the fleet's state lacks (see `rejoinWrites`), frees the probe slots it
   * let go of meanwhile and flushes its counted requests, a wave at a time. The scripts merge, so anything newer the
   * fleet decided meanwhile is kept.
   */
  const republish = async (fleet: ReadonlyMap<string, FleetEndpointState>) => {
    const now = clock.now();
    const writes: (() => Promise<unknown>)[] = [() => budget.flush()];
    for (const [lease, endpoint] of orphanLeases) {
      writes.push(async () => {
        await client.zrem(keys.probes(endpoint), lease);
        orphanLeases.delete(lease);
      });
    }
    for (const write of rejoinWrites(store.entries(), fleet, now, store.tracked)) {
      writes.push(write.kind === 'deadline'
        ? () => raiseDeadline(write.endpoint, write.field, write.until, write.reason, now, write.credential)
        : () => transition(write.endpoint, write.breaker).then((answer) => {
          if (answer !== undefined) store.adopt(write.endpoint, answer);
        }));
    }
    await inWaves(writes);
  };

  /** Runs on every new connection: Redis may have restarted empty, so this instance's live state goes back. */
  const sync = async () => {
    if (closed || client.status !== 'ready') return;
    await reload(true).catch(failed);
  };

  /** Runs `run` every `ms` on the injected clock, never two at once; returns the stop function. */
  const every = (ms: number, run: () => Promise<void>) => {
    let handle: unknown;
    const tick = () => {
      if (closed) return;
      void run().finally(() => {
        if (!closed) handle = clock.schedule(tick, ms);
      });
    };
    handle = clock.schedule(tick, ms);
    stoppers.push(() => clock.cancel(handle));
  };

  // The reload also notices the end of an outage that kept the connection (a Redis that was only slow).
  every(refreshMs, async () => {
    if (client.status === 'ready') await reload().catch(failed);
  });
  every(flushEveryMs, async () => {
    if (usable()) await budget.flush().catch(failed);
  });

  subscriber.on('message', (_channel: string, message: string) => {
    try {
      const { endpoint, fields } = JSON.parse(message) as { endpoint: string; fields: string[] | Record<string, string> };
      store.adopt(endpoint, fleetClock.stateToLocal(readEndpointHash(fields)));
    } catch {
      // A message this version cannot read is ignored; the next reload brings the state anyway.
    }
  });
  // Subscriber errors are covered by the reload and the command connection's own errors: logging them too would
  // report one outage twice.
  subscriber.on('error', () => undefined);
  const subscribed = subscriber.subscribe(keys.channel).catch(() => undefined);
  /**
   * The subscription, or after {@link subscribeWaitMs} without it a line in the log: a subscriber that cannot connect
   * (a Redis at `maxclients` with one slot left) held `ready`, and so a gateway's start, forever and silently. The
   * reload every `refreshMs` brings the fleet's changes meanwhile; ioredis goes on subscribing.
   */
  let saidLate = false;
  const subscribedOrLate = () =>
    new Promise<void>((resolve) => {
      const late = clock.schedule(() => {
        if (!closed && !saidLate) log(`detour: cannot subscribe to ${describeRedisUrl(url)} yet; fleet changes arrive with the reload every ${refreshMs} ms until it can`);
        saidLate = true;
        resolve();
      }, subscribeWaitMs);
      void subscribed.then(() => {
        clock.cancel(late);
        resolve();
      });
    });

  let settleReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    settleReady = resolve;
  });
  let fault: string | undefined;
  client.on('ready', () => {
    fault = undefined;
    void subscribedOrLate().then(sync).then(settleReady);
  });
  client.on('error', (error: unknown) => {
    if (closed) return;
    // Every reconnection meets the same refusal: the fault stands until Redis takes a connection (`ready`).
    fault = authFault(error, describeRedisUrl(url)) ?? fault;
    outage.fail(error);
    settleReady();
  });
  client.on('close', () => {
    if (!closed) outage.fail(new Error('connection closed'));
  });

  return {
    ...store,
    track(endpoints) {
      const unheard = endpoints.some((endpoint) => store.read(endpoint) === initialEndpointState);
      store.track(endpoints);
      // The first reload ran before any router told its endpoints: with more names listed than the view keeps (old
      // configurations' names, attack 19, F4) it may have left them out, and the first request would not hear of an
      // open breaker. They are read now rather than a `refreshMs` later.
      if (unheard && lastListed > maxFleetOnlyEndpoints && usable()) void reload().catch(failed);
    },
    ready,
    get connected() {
      return usable();
    },
    get fault() {
      return fault;
    },
    async close() {
      if (closed) return;
      if (usable()) await Promise.all([budget.flush().catch(() => undefined), ...unanswered]);
      closed = true;
      for (const stop of stoppers) stop();
      settleReady();
      client.disconnect();
      subscriber.disconnect();
    },
  };
};
