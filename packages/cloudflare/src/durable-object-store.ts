import { admitThroughBreaker, adoptFleetState, type BreakerAdmission, type BreakerState, type RetryBudgetOptions, shareBreaker } from '@detour/core/store';
import { createMemoryStore, type Clock, type EndpointState, type StateStore } from '@detour/core';
import { systemClock } from '@detour/core/binding';
import { operationUrl, type StateObjectOperation, type StateObjectOperations } from './state-object-protocol';

/** The parts of a `DurableObjectNamespace` binding the store uses. */
export interface StateObjectNamespace {
  idFromName(name: string): unknown;
  get(id: never): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/** Options of {@link createDurableObjectStore}. */
export interface DurableObjectStoreOptions {
  /** The `DetourStateObject` binding. */
  readonly namespace: StateObjectNamespace;
  /** Which object: one per fleet. @default 'detour' */
  readonly name?: string;
  /** The local view is refreshed from the object at most this often, when a request reads it. @default 1000 */
  readonly refreshMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Keeps background writes alive after the response (pass `(promise) => context.waitUntil(promise)`). */
  readonly waitUntil?: (promise: Promise<unknown>) => void;
}

/** A {@link StateStore} shared by Workers through a `DetourStateObject`. */
export interface DurableObjectStore extends StateStore {
  /** Always synchronous: answers from the local view, starting a refresh in the background when it is due. */
  read(endpoint: string): EndpointState;
  /** The local view of every endpoint. */
  entries(): IterableIterator<[string, EndpointState]>;
  /** Settles when every write and refresh in flight has. */
  settled(): Promise<void>;
}

const bucketMs = 1000;

/**
 * Creates a store for use inside a Worker that shares endpoint state through a `DetourStateObject`. No request
 * waits on the object except for a half-open probe slot (rare: the breaker is not closed) and a retry (rare:
 * something already failed). `read` answers from a local view and refreshes it in the background at most every
 * `refreshMs` (stale while refreshing); cooldowns, disables and breaker transitions update the local view at once
 * and go to the object fire-and-forget. Requests are counted locally and sent with the next refresh. Any error
 * leaves the store on its local state. Staleness: a change made by another isolate is seen at most `refreshMs`
 * plus one round trip later, by an isolate that is serving requests.
 *
 * @example
 * const store = createDurableObjectStore({ namespace: env.DETOUR_STATE, waitUntil: (promise) => context.waitUntil(promise) });
 */
export const createDurableObjectStore = (options: DurableObjectStoreOptions): DurableObjectStore => {
  const { namespace, name = 'detour', refreshMs = 1000, clock = systemClock, waitUntil } = options;
  const id = namespace.idFromName(name) as never;
  const local = createMemoryStore();
  const inFlight = new Set<Promise<unknown>>();
  /** Probe slots this isolate holds in the object, by lease id: the start time the object recorded for each. */
  const heldLeases = new Map<string, number>();
  let leaseCount = 0;
  let pending = new Map<number, number>();
  let budgetOptions: RetryBudgetOptions | undefined;
  let lastRefreshAt = Number.NEGATIVE_INFINITY;
  let refreshing = false;

  const call = async <Name extends StateObjectOperation>(operation: Name, body: StateObjectOperations[Name]['request']) => {
    // A stub per call: on Workers an I/O object made while serving one request cannot be used by another.
    const response = await namespace.get(id).fetch(operationUrl(operation), { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`DetourStateObject answered ${response.status} to ${operation}`);
    return (await response.json()) as StateObjectOperations[Name]['response'];
  };

  const background = (work: Promise<unknown>) => {
    const settled: Promise<unknown> = work.catch(() => undefined).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
    waitUntil?.(settled);
  };

  const adopt = (endpoint: string, fleet: EndpointState) => {
    const state = local.read(endpoint);
    const next = adoptFleetState(state, { ...fleet, breaker: shareBreaker(fleet.breaker) }, clock.now());
    if (next !== state) local.write(endpoint, next);
  };

  const drainDeposits = () => {
    const deposits = [...pending];
    pending = new Map();
    return deposits;
  };

  const refreshIfDue = () => {
    const now = clock.now();
    // A refresh whose request ended without `waitUntil` may never settle; after ten periods it counts as lost.
    if (now - lastRefreshAt < refreshMs || (refreshing && now - lastRefreshAt < 10 * refreshMs)) return;
    lastRefreshAt = now;
    refreshing = true;
    const deposits = drainDeposits();
    background(call('sync', { deposits, budget: budgetOptions })
      .then((states) => {
        for (const [endpoint, state] of Object.entries(states)) adopt(endpoint, state);
      }, () => {
        for (const [start, requests] of deposits) pending.set(start, (pending.get(start) ?? 0) + requests);
      })
      .finally(() => {
        refreshing = false;
      }));
  };

  const takeProbe = async (endpoint: string, now: number, breakerOptions: Parameters<StateStore['admit']>[2]): Promise<BreakerAdmission> => {
    const breaker = shareBreaker(local.read(endpoint).breaker);
    let answer: StateObjectOperations['take-probe']['response'];
    try {
      answer = await call('take-probe', { endpoint, now, options: breakerOptions, breaker });
    } catch {
      return local.admit(endpoint, now, breakerOptions);
    }
    adopt(endpoint, answer.state);
    const state = local.read(endpoint);
    const fleet = answer.state.breaker;
    if (state.breaker.position === 'closed' || fleet.position !== 'half_open' || fleet.generation !== state.breaker.generation) {
      return local.admit(endpoint, now, breakerOptions);
    }
    // Mirror the fleet's probes, so local reads see no free slot while the fleet's are taken.
    const mirrored: BreakerState = { ...state.breaker, position: 'half_open', probes: fleet.probes };
    local.write(endpoint, { ...state, breaker: mirrored });
    if (!answer.admitted) return { admitted: false, probe: false, generation: mirrored.generation, state: mirrored };
    const lease = `${(leaseCount += 1)}`;
    heldLeases.set(lease, now);
    return { admitted: true, probe: true, generation: mirrored.generation, state: mirrored, lease };
  };

  return {
    read(endpoint) {
      refreshIfDue();
      return local.read(endpoint);
    },
    entries: () => local.entries(),
    settled: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    admit(endpoint, now, breakerOptions) {
      const state = local.read(endpoint);
      if (state.breaker.position === 'closed' || !admitThroughBreaker(state.breaker, now, breakerOptions).probe) {
        return local.admit(endpoint, now, breakerOptions);
      }
      return takeProbe(endpoint, now, breakerOptions);
    },
    recordResult(endpoint, result, breakerOptions) {
      const before = local.read(endpoint).breaker;
      // The memory store answers synchronously; its interface only says it may not.
      const after = local.recordResult(endpoint, result, breakerOptions) as BreakerState;
      // Only the slot this probe was admitted under: a probe admitted locally (the object did not answer) holds
      // none in the object, and must not free one another request holds there.
      const start = result.probe && result.lease !== undefined ? heldLeases.get(result.lease) : undefined;
      if (start !== undefined) {
        heldLeases.delete(result.lease!);
        if (after.generation === before.generation) background(call('release-probe', { endpoint, start }));
      }
      if (after.generation !== before.generation) {
        background(call('transition', { endpoint, breaker: shareBreaker(after) }).then((state) => adopt(endpoint, state)));
      }
      return after;
    },
    coolDown(endpoint, until, model, reason, now = clock.now()) {
      local.coolDown(endpoint, until, model, reason, now);
      background(call('raise-deadline', { endpoint, field: 'cooldown', model, until, reason, now }).then((state) => adopt(endpoint, state)));
    },
    disable(endpoint, until, reason) {
      local.disable(endpoint, until, reason);
      background(call('raise-deadline', { endpoint, field: 'disable', model: undefined, until, reason, now: clock.now() }).then((state) => adopt(endpoint, state)));
    },
    depositRequest(now, budget) {
      local.depositRequest(now, budget);
      budgetOptions = budget;
      const start = now - (now % bucketMs);
      pending.set(start, (pending.get(start) ?? 0) + 1);
    },
    async spendRetry(now, budget) {
      try {
        const { allowed } = await call('spend-retry', { now, options: budget, deposits: drainDeposits() });
        if (allowed) local.spendRetry(now, budget);
        return allowed;
      } catch {
        return local.spendRetry(now, budget);
      }
    },
  };
};
