// @detour/core/store: for authors of state stores (Redis, Durable Objects, …). A store keeps what every router
// instance must agree on — breakers, cooldowns, the retry budget — and applies each change as one atomic step; the
// arithmetic of each step lives here, so every store computes exactly what the in-memory one does.

export type { EndpointState, QuotaCursor, QuotaShare, StateStore } from '../ports/state-store';
export {
  addShare, createQuotaLedger, entryShare, quotaPairKey, type QuotaLedger, type QuotaLedgerEntry,
} from '../state/quota-ledger';
export type { MaybePromise } from '../ports/maybe-promise';
export { createMemoryStore, initialEndpointState, withDisable, type MemoryStore } from '../state/memory-store';
export { availableFrom, isAvailable } from '../engine/endpoint-availability';
export {
  admitThroughBreaker, breakerAllows, closedBreaker, openDuration, recordBreakerResult,
  type BreakerAdmission, type BreakerOptions, type BreakerPosition, type BreakerResult, type BreakerState,
} from '../breaker/breaker';
export { laterDeadline } from '../cooldown/cooldown';
export {
  createModelCooldowns, liveModelCooldowns, maxModelCooldowns, modelCooldownUntil, noModelCooldowns, withModelCooldown,
  type ModelCooldowns,
} from '../cooldown/model-cooldowns';
export {
  depositRequest, emptyRetryBudget, retriesAvailable, spendRetry, type RetryBudgetOptions, type RetryBudgetState,
} from '../budget/retry-budget';
export {
  adoptSharedBreaker, mergeSharedBreaker, sameSharedBreaker, shareBreaker, type SharedBreaker,
} from '../state/shared-breaker';
export { adoptFleetState, fleetHorizonMs, type FleetEndpointState } from '../state/fleet-endpoint-state';
export { createOutageLog, type OutageLog } from '../state/outage-log';
export {
  createSharedStore, maxFleetOnlyEndpoints, type RemoteProbeAnswer, type RemoteState, type SharedStore, type SharedStoreOptions,
} from '../state/shared-store';
