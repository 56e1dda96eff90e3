import { createOutageLog, createSharedStore, type FleetEndpointState, type QuotaShare, type RemoteState, type RetryBudgetOptions, shareBreaker } from '@detour/core/store';
import type { Clock, EndpointState, StateStore } from '@detour/core';
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
  /** Where the one line per outage of the object goes. @default console.warn */
  readonly log?: (message: string) => void;
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
 * The longest a call to the object may take. A request waits on one only for a half-open probe slot or a retry, and
 * one that never answered held it past its deadline (and `settled()`, the Worker's `waitUntil`, forever).
 */
export const objectCallTimeoutMs = 1000;

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
  const { namespace, name = 'detour', refreshMs = 1000, clock = systemClock, waitUntil, log = (message: string) => console.warn(message) } = options;
  const id = namespace.idFromName(name) as never;
  const inFlight = new Set<Promise<unknown>>();
  /** Probe slots this isolate holds in the object, by lease id: the start time the object recorded for each. */
  const heldLeases = new Map<string, number>();
  let leaseCount = 0;
  let pending = new Map<number, number>();
  let budgetOptions: RetryBudgetOptions | undefined;
  let lastRefreshAt = Number.NEGATIVE_INFINITY;
  let refreshing = false;
  const outage = createOutageLog(`the DetourStateObject "${name}"`, log);

  const ask = async <Name extends StateObjectOperation>(operation: Name, body: StateObjectOperations[Name]['request'], signal: AbortSignal) => {
    // A stub per call: on Workers an I/O object made while serving one request cannot be used by another.
    const response = await namespace.get(id).fetch(operationUrl(operation), { method: 'POST', body: JSON.stringify(body), signal });
    if (!response.ok) throw new Error(`it answered ${response.status} to ${operation}`);
    return (await response.json()) as StateObjectOperations[Name]['response'];
  };

  /** One operation, bounded by {@link objectCallTimeoutMs}; its failure is reported to the outage log, once. */
  const call = <Name extends StateObjectOperation>(operation: Name, body: StateObjectOperations[Name]['request']) => {
    const controller = new AbortController();
    let timer: unknown;
    const late = new Promise<never>((_, reject) => {
      timer = clock.schedule(() => {
        const error = new Error(`no answer to ${operation} within ${objectCallTimeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, objectCallTimeoutMs);
    });
    return Promise.race([ask(operation, body, controller.signal), late]).then(
      (answer) => {
        clock.cancel(timer);
        outage.recover();
        return answer;
      },
      (error: unknown) => {
        clock.cancel(timer);
        outage.fail(error);
        throw error;
      },
    );
  };

  const background = (work: Promise<unknown>) => {
    const settled: Promise<unknown> = work.catch(() => undefined).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
    waitUntil?.(settled);
  };

  /** The object answers with whole endpoint states; the fleet's part of one is what the local view adopts. */
  const fleetState = (state: EndpointState): FleetEndpointState => ({ ...state, breaker: shareBreaker(state.breaker) });

  const drainDeposits = () => {
    const deposits = [...pending];
    pending = new Map();
    return deposits;
  };

  const remote: RemoteState = {
    // Every error is local to one call: the next one tries the object again.
    usable: () => true,
    run: (work) => background(work()),
    // Every call reports its own failure (see `call`).
    failed: () => undefined,
    async takeProbe(endpoint, now, breakerOptions, before) {
      const answer = await call('take-probe', { endpoint, now, options: breakerOptions, breaker: shareBreaker(before) });
      const fleet = answer.state.breaker;
      const verdict = fleet.position !== 'half_open' ? 'local' : answer.admitted ? 'admitted' : 'full';
      let lease: string | undefined;
      if (verdict === 'admitted') {
        lease = `${(leaseCount += 1)}`;
        heldLeases.set(lease, now);
      }
      return { verdict, fleet: fleetState(answer.state), generation: fleet.generation, probes: fleet.probes, lease };
    },
    releaseProbe(endpoint, lease, transitioned) {
      const start = heldLeases.get(lease);
      if (start === undefined) return;
      heldLeases.delete(lease);
      // A transition clears the object's probes itself.
      if (!transitioned) background(call('release-probe', { endpoint, start }));
    },
    transition: async (endpoint, breaker) => fleetState(await call('transition', { endpoint, breaker })),
    raiseDeadline: async (endpoint, field, model, until, reason, now, credential) =>
      fleetState(await call('raise-deadline', { endpoint, field, model, until, reason, now, credential })),
    deposit(now, budget) {
      budgetOptions = budget;
      const start = now - (now % bucketMs);
      pending.set(start, (pending.get(start) ?? 0) + 1);
    },
    spendRetry: async (now, budget) => (await call('spend-retry', { now, options: budget, deposits: drainDeposits() })).allowed,
    // Admission's fleet exchange: at most one per `admission.fleetSyncMs`, in the background (core decides when).
    // Kept alive past the response like every background call (`waitUntil`), and awaited by `settled()`.
    exchangeQuota(report, now, cursor) {
      // The object answers with the pairs reported since the router's cursor (every pair without one).
      const since = typeof cursor?.position === 'number' ? cursor.position : 0;
      const work = call('exchange-quota', { report, now, since }).then((answer): readonly QuotaShare[] => {
        if (Array.isArray(answer)) return answer;
        const { shares, cursor: next } = answer as { shares: readonly QuotaShare[]; cursor: number };
        if (cursor) cursor.position = next;
        return shares;
      });
      background(work);
      return work;
    },
  };
  const store = createSharedStore(remote, { clock });

  const refreshIfDue = () => {
    const now = clock.now();
    // A refresh whose request ended without `waitUntil` may never settle; after ten periods it counts as lost.
    if (now - lastRefreshAt < refreshMs || (refreshing && now - lastRefreshAt < 10 * refreshMs)) return;
    lastRefreshAt = now;
    refreshing = true;
    const deposits = drainDeposits();
    background(call('sync', { deposits, budget: budgetOptions })
      .then((states) => {
        for (const [endpoint, state] of Object.entries(states)) store.adopt(endpoint, fleetState(state));
      }, () => {
        // Kept for the next sync, but only the seconds the budget still counts: a long outage piled up one entry a
        // second, all sent at once when the object came back.
        const oldest = clock.now() - (budgetOptions?.ttlMs ?? 10_000);
        for (const [start, requests] of deposits) if (start > oldest) pending.set(start, (pending.get(start) ?? 0) + requests);
      })
      .finally(() => {
        refreshing = false;
      }));
  };

  return {
    ...store,
    read(endpoint) {
      refreshIfDue();
      return store.read(endpoint);
    },
    settled: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
};
