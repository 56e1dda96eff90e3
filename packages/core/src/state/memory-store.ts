import { admitThroughBreaker, closedBreaker, recordBreakerResult } from '../breaker/breaker';
import { depositRequest, emptyRetryBudget, spendRetry, type RetryBudgetState } from '../budget/retry-budget';
import { laterDeadline } from '../cooldown/cooldown';
import { noModelCooldowns, withModelCooldown } from '../cooldown/model-cooldowns';
import type { EndpointState, StateStore } from '../ports/state-store';
import { createQuotaLedger } from './quota-ledger';

/** The state of an endpoint nobody has reported on yet. */
export const initialEndpointState: EndpointState = Object.freeze({
  breaker: closedBreaker, cooldownUntil: 0, modelCooldowns: noModelCooldowns, disabledUntil: 0, reason: undefined, disabledBy: undefined,
});

/**
 * `from` with `changes`, built as one object literal: a spread that overrides gives each object a hidden class of its
 * own (see `breakerWith`), and every request writes an endpoint's state.
 */
export const endpointStateWith = (from: EndpointState, changes: Partial<EndpointState>): EndpointState => ({
  breaker: changes.breaker ?? from.breaker,
  cooldownUntil: changes.cooldownUntil ?? from.cooldownUntil,
  modelCooldowns: changes.modelCooldowns ?? from.modelCooldowns,
  disabledUntil: changes.disabledUntil ?? from.disabledUntil,
  reason: 'reason' in changes ? changes.reason : from.reason,
  disabledBy: 'disabledBy' in changes ? changes.disabledBy : from.disabledBy,
});

/**
 * `state` disabled until `until` by `credential`: the later deadline wins between disables of one credential; a
 * disable of another credential (a key since replaced, or one another member of the fleet still uses) gives way, so
 * the endpoint's own credential is never held to a foreign deadline nor loses its own to one.
 */
export const withDisable = (state: EndpointState, until: number, reason: string, credential: string | undefined): EndpointState =>
  state.disabledBy === credential
    ? endpointStateWith(state, { disabledUntil: laterDeadline(state.disabledUntil, until), reason })
    : endpointStateWith(state, { disabledUntil: until, reason, disabledBy: credential });

/** A {@link StateStore} that keeps everything in memory: the default. Answers synchronously. */
export interface MemoryStore extends StateStore {
  read(endpoint: string): EndpointState;
  /** Every endpoint with state, for health views and tests. */
  entries(): IterableIterator<[string, EndpointState]>;
  /** Replaces an endpoint's state wholesale, as a shared store's local view does when the fleet reports. */
  write(endpoint: string, state: EndpointState): void;
}

/** Creates the in-memory store: one per router, or one shared by several routers in the same isolate. */
export const createMemoryStore = (): MemoryStore => {
  const states = new Map<string, EndpointState>();
  let budget: RetryBudgetState = emptyRetryBudget;
  // Routers sharing this store (one isolate, several routers) share one quota picture through it.
  const ledger = createQuotaLedger();
  const read = (endpoint: string) => states.get(endpoint) ?? initialEndpointState;
  const write = (endpoint: string, state: EndpointState) => void states.set(endpoint, state);

  return {
    read,
    write,
    entries: () => states.entries(),
    admit(endpoint, now, options) {
      const state = read(endpoint);
      const admission = admitThroughBreaker(state.breaker, now, options);
      if (admission.state !== state.breaker) write(endpoint, endpointStateWith(state, { breaker: admission.state }));
      return admission;
    },
    recordResult(endpoint, result, options) {
      const state = read(endpoint);
      const breaker = recordBreakerResult(state.breaker, result, options);
      if (breaker !== state.breaker) write(endpoint, endpointStateWith(state, { breaker }));
      return breaker;
    },
    coolDown(endpoint, until, model, reason, now = 0) {
      const state = read(endpoint);
      if (model === undefined) {
        write(endpoint, endpointStateWith(state, { cooldownUntil: laterDeadline(state.cooldownUntil, until), reason }));
      } else {
        write(endpoint, endpointStateWith(state, { modelCooldowns: withModelCooldown(state.modelCooldowns, model, until, now), reason }));
      }
    },
    disable(endpoint, until, reason, credential) {
      write(endpoint, withDisable(read(endpoint), until, reason, credential));
    },
    depositRequest(now, options) {
      budget = depositRequest(budget, now, options);
    },
    spendRetry(now, options) {
      const result = spendRetry(budget, now, options);
      budget = result.state;
      return result.allowed;
    },
    exchangeQuota: (report, now) => ledger.exchange(report, now),
  };
};
