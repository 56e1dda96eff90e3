import { admitThroughBreaker, breakerWith, type BreakerAdmission, type BreakerOptions, type BreakerState } from '../breaker/breaker';
import type { RetryBudgetOptions } from '../budget/retry-budget';
import type { Clock } from '../ports/clock';
import type { EndpointState, QuotaCursor, QuotaShare, StateStore } from '../ports/state-store';
import { adoptFleetState, type FleetEndpointState } from './fleet-endpoint-state';
import { createMemoryStore, endpointStateWith, initialEndpointState } from './memory-store';
import { shareBreaker, type SharedBreaker } from './shared-breaker';

/** A remote's answer to a request for a fleet-wide half-open probe slot. */
export interface RemoteProbeAnswer {
  /**
   * `admitted`: a slot is taken under `lease`; `full`: every slot is taken; `local`: the remote is not half-open in
   * this generation, so the local breaker decides.
   */
  readonly verdict: 'admitted' | 'full' | 'local';
  /** Fleet state to adopt before the verdict is checked, if the remote sent any. */
  readonly fleet: FleetEndpointState | undefined;
  /** The breaker generation the verdict was given for: a verdict for another generation falls back to local. */
  readonly generation: number;
  /** Start times of the fleet's probes in flight, on this instance's clock: the local breaker mirrors them. */
  readonly probes: readonly number[];
  /** The slot taken, when `verdict` is `admitted`; handed back to {@link RemoteState.releaseProbe} only. */
  readonly lease?: string | undefined;
}

/**
 * What a fleet store shares through: the few operations that differ between Redis, a Durable Object and the like.
 * {@link createSharedStore} calls them; every other decision is the shell's, so every shared store decides alike.
 */
export interface RemoteState {
  /** False while the remote is known to be down or closed: the store then neither asks nor writes it. */
  usable(): boolean;
  /** Runs a fire-and-forget write. Must not throw or reject: a failure only leaves the store on its local state. */
  run(work: () => Promise<unknown>): void;
  /** Reports an error of a call the store awaited (a probe slot, a retry); the store then answers locally. */
  failed(error: unknown): void;
  /** Asks for a half-open probe slot; `before` is the local breaker that made the probe due. */
  takeProbe(endpoint: string, now: number, options: BreakerOptions, before: BreakerState): Promise<RemoteProbeAnswer>;
  /**
   * Frees a slot this store took under `lease` (never another request's). `transitioned` is true when the probe's
   * result moved the breaker to a new generation, which the transition also reports.
   */
  releaseProbe(endpoint: string, lease: string, transitioned: boolean): void;
  /** Reports a breaker transition (a new generation); answers with the fleet's state to adopt, if it sends one. */
  transition(endpoint: string, breaker: SharedBreaker): Promise<FleetEndpointState | undefined>;
  /**
   * Raises a cooldown (of `model`, or of the whole endpoint) or a disable; answers with fleet state to adopt, if any.
   * A disable carries the `credential` it was earned with, when known: the remote keeps it beside the deadline, and a
   * disable of another credential gives way to it (as `StateStore.disable` says).
   */
  raiseDeadline(
    endpoint: string, field: 'cooldown' | 'disable', model: string | undefined, until: number, reason: string, now: number,
    credential?: string,
  ): Promise<FleetEndpointState | undefined>;
  /** Counts one request towards the fleet's retry budget (batched by the remote; never awaited). */
  deposit(now: number, options: RetryBudgetOptions): void;
  /** Spends one retry from the fleet's budget. */
  spendRetry(now: number, options: RetryBudgetOptions): Promise<boolean>;
  /**
   * Optional: merges a quota report into the fleet's ledger and answers with it (see `StateStore.exchangeQuota`).
   * A remote without it keeps each instance's quota model local.
   */
  exchangeQuota?(report: readonly QuotaShare[], now: number, cursor?: QuotaCursor): Promise<readonly QuotaShare[]>;
}

/**
 * Endpoints a shared store's local view takes on from the fleet alone, before this instance has routed to them: far
 * more than any fleet configures. Past it, fleet state for a further name nobody here has used is not kept.
 * (Anyone who can publish on a fleet's channel could otherwise grow every member's view without bound.)
 */
export const maxFleetOnlyEndpoints = 1024;

/** Options of {@link createSharedStore}. */
export interface SharedStoreOptions {
  /** The clock deadlines are adopted against. */
  readonly clock: Clock;
}

/** A {@link StateStore} made of a synchronous local view and a remote, as {@link createSharedStore} builds it. */
export interface SharedStore extends StateStore {
  /** Always synchronous: answers from the local view. */
  read(endpoint: string): EndpointState;
  /** The local view of every endpoint. */
  entries(): IterableIterator<[string, EndpointState]>;
  /** The endpoints routers on this store route to (`StateStore.track`): what the fleet lost of theirs goes back. */
  readonly tracked: ReadonlySet<string>;
  /** Records endpoints a router routes to (`StateStore.track`), and takes them into the view past its bound. */
  track(endpoints: readonly string[]): void;
  /** Folds fleet state (a reload, a published change, a remote's answer) into the local view. */
  adopt(endpoint: string, fleet: FleetEndpointState): void;
}

/**
 * Creates the shell every fleet store shares: a core memory store answers each hot-path call synchronously, and the
 * `remote` is written fire-and-forget, read back by merge ({@link adoptFleetState}), and asked only for half-open
 * probe slots and retries. Any remote error leaves the store on its local state.
 *
 * @example
 * const store = createSharedStore(remote, { clock });
 * store.adopt('openai', fleetStateFromReload);
 */
export const createSharedStore = (remote: RemoteState, { clock }: SharedStoreOptions): SharedStore => {
  const local = createMemoryStore();
  /** Leases this store holds in the remote: a result frees its own lease only. */
  const heldLeases = new Set<string>();
  /** Endpoints routers on this store route to (`track`). */
  const tracked = new Set<string>();
  /** The credential each endpoint's own disables were raised with here: a fleet's disable of another gives way to it. */
  const ownCredentials = new Map<string, string | undefined>();
  let fleetOnly = 0;

  const adopt = (endpoint: string, fleet: FleetEndpointState) => {
    const state = local.read(endpoint);
    // An endpoint this view holds nothing of reads as the shared initial state.
    const unknown = state === initialEndpointState;
    if (unknown && fleetOnly >= maxFleetOnlyEndpoints) return;
    const next = adoptFleetState(state, fleet, clock.now(), ownCredentials.get(endpoint));
    if (next === state) return;
    local.write(endpoint, next);
    if (unknown) fleetOnly += 1;
  };

  const adoptAnswer = (endpoint: string) => (fleet: FleetEndpointState | undefined) => {
    if (fleet !== undefined) adopt(endpoint, fleet);
  };

  const takeProbe = async (endpoint: string, now: number, options: BreakerOptions, before: BreakerState): Promise<BreakerAdmission> => {
    let answer: RemoteProbeAnswer;
    try {
      answer = await remote.takeProbe(endpoint, now, options, before);
    } catch (error) {
      remote.failed(error);
      return local.admit(endpoint, now, options);
    }
    // The fleet's breaker is adopted before the verdict is read: it may have closed or moved on meanwhile.
    if (answer.fleet !== undefined) adopt(endpoint, answer.fleet);
    const state = local.read(endpoint);
    const { verdict, lease } = answer;
    if (verdict === 'local' || state.breaker.position === 'closed' || state.breaker.generation !== answer.generation) {
      if (verdict === 'admitted' && lease !== undefined) remote.releaseProbe(endpoint, lease, false);
      return local.admit(endpoint, now, options);
    }
    // The local breaker mirrors the fleet's probes, so its reads see no free slot while the fleet's are taken.
    const breaker = breakerWith(state.breaker, { position: 'half_open', probes: answer.probes });
    local.write(endpoint, endpointStateWith(state, { breaker }));
    if (verdict === 'full') return { admitted: false, probe: false, generation: breaker.generation, state: breaker };
    if (lease !== undefined) heldLeases.add(lease);
    return { admitted: true, probe: true, generation: breaker.generation, state: breaker, lease };
  };

  const exchangeQuota = async (report: readonly QuotaShare[], now: number, cursor?: QuotaCursor): Promise<readonly QuotaShare[]> => {
    if (!remote.exchangeQuota || !remote.usable()) return [];
    try {
      return await remote.exchangeQuota(report, now, cursor);
    } catch (error) {
      remote.failed(error);
      return [];
    }
  };

  return {
    ...(remote.exchangeQuota ? { exchangeQuota } : {}),
    read: (endpoint) => local.read(endpoint),
    tracked,
    track(endpoints) {
      for (const endpoint of endpoints) {
        tracked.add(endpoint);
        // Its own from now on: the fleet's state for it is adopted past the bound on endpoints only the fleet knows,
        // which names of old configurations could fill (attack 19, F4).
        if (local.read(endpoint) === initialEndpointState) local.write(endpoint, endpointStateWith(initialEndpointState, {}));
      }
    },
    entries: () => local.entries(),
    adopt,
    admit(endpoint, now, options) {
      const state = local.read(endpoint);
      // Closed (nearly always): a local answer. Open and not yet due: a local refusal. Only a probe asks the remote.
      if (state.breaker.position === 'closed' || !admitThroughBreaker(state.breaker, now, options).probe || !remote.usable()) {
        return local.admit(endpoint, now, options);
      }
      return takeProbe(endpoint, now, options, state.breaker);
    },
    recordResult(endpoint, result, options) {
      const before = local.read(endpoint).breaker;
      // The memory store answers synchronously; its interface only says it may not.
      const after = local.recordResult(endpoint, result, options) as BreakerState;
      const transitioned = after.generation !== before.generation;
      // Only the lease this probe was admitted under: a probe admitted locally (the remote failed to answer) holds
      // none, and must not free a slot another request holds in the remote.
      const lease = result.probe ? result.lease : undefined;
      if (lease !== undefined && heldLeases.delete(lease)) remote.releaseProbe(endpoint, lease, transitioned);
      // Generations move on every open and close: that is the transition the fleet must hear about.
      if (transitioned) remote.run(() => remote.transition(endpoint, shareBreaker(after)).then(adoptAnswer(endpoint)));
      return after;
    },
    coolDown(endpoint, until, model, reason, now = clock.now()) {
      local.coolDown(endpoint, until, model, reason, now);
      remote.run(() => remote.raiseDeadline(endpoint, 'cooldown', model, until, reason, now).then(adoptAnswer(endpoint)));
    },
    disable(endpoint, until, reason, credential) {
      // Only endpoints this instance routes to are disabled here: the map holds no more names than its config.
      ownCredentials.set(endpoint, credential);
      local.disable(endpoint, until, reason, credential);
      remote.run(() => remote.raiseDeadline(endpoint, 'disable', undefined, until, reason, clock.now(), credential).then(adoptAnswer(endpoint)));
    },
    depositRequest(now, options) {
      local.depositRequest(now, options);
      remote.deposit(now, options);
    },
    async spendRetry(now, options) {
      if (!remote.usable()) return local.spendRetry(now, options);
      try {
        const allowed = await remote.spendRetry(now, options);
        // Keep the local budget in step, so an outage starts from this instance's own recent retries.
        if (allowed) local.spendRetry(now, options);
        return allowed;
      } catch (error) {
        remote.failed(error);
        return local.spendRetry(now, options);
      }
    },
  };
};
