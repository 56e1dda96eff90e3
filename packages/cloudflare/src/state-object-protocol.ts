import type { BreakerOptions, QuotaShare, RetryBudgetOptions, SharedBreaker } from '@detour/core/store';
import type { EndpointState } from '@detour/core';

// What a Worker's store and the DetourStateObject say to each other: one JSON POST per operation. Plain fetch
// rather than RPC keeps the class free of the `cloudflare:workers` import, so it compiles and type-checks anywhere.

/** Requests counted since the last sync, per one-second bucket start. */
export type PendingDeposits = readonly (readonly [start: number, requests: number])[];

/** Every operation, its request body and its answer. */
export interface StateObjectOperations {
  /** Applies pending deposits and answers with every endpoint's fleet state. */
  sync: { request: { deposits: PendingDeposits; budget: RetryBudgetOptions | undefined }; response: Record<string, EndpointState> };
  /**
   * Raises a deadline; the later one wins (a disable of another credential gives way: core's `withDisable`). `field`
   * is `cooldown` (with an optional model) or `disable`. Model cooldowns that ran out by `now` are dropped, and at
   * most core's `maxModelCooldowns` kept per endpoint.
   */
  'raise-deadline': {
    request: {
      endpoint: string; field: 'cooldown' | 'disable'; model: string | undefined; until: number; reason: string; now: number;
      /** A disable's credential fingerprint (core's `EndpointState.disabledBy`); absent from an earlier version. */
      credential?: string | undefined;
    };
    response: EndpointState;
  };
  /** Merges a breaker transition (see `mergeSharedBreaker`) and answers with the merged state. */
  transition: { request: { endpoint: string; breaker: SharedBreaker }; response: EndpointState };
  /** Takes a half-open probe slot for the fleet after merging the caller's own breaker. */
  'take-probe': {
    request: { endpoint: string; now: number; options: BreakerOptions; breaker: SharedBreaker };
    response: { admitted: boolean; state: EndpointState };
  };
  /**
   * Frees the probe slot taken at `start` (the `now` its take-probe sent), whose probe reported without moving the
   * breaker; the oldest slot when `start` is absent (a store of an earlier version).
   */
  'release-probe': { request: { endpoint: string; start?: number }; response: EndpointState };
  /** Takes a retry from the fleet's budget, after applying pending deposits. */
  'spend-retry': { request: { now: number; options: RetryBudgetOptions; deposits: PendingDeposits }; response: { allowed: boolean } };
  /**
   * Merges one instance's quota report into the fleet's ledger (admission) and answers with the pairs reported after
   * `since` (the `cursor` of the instance's last answer; 0 for every pair), with the cursor to send next time. A
   * request without `since` (an earlier version) is answered with every pair, as a plain list.
   */
  'exchange-quota': {
    request: { report: readonly QuotaShare[]; now: number; since?: number };
    response: { shares: readonly QuotaShare[]; cursor: number } | readonly QuotaShare[];
  };
}

/** An operation's name. */
export type StateObjectOperation = keyof StateObjectOperations;

/** The address the store posts an operation to; the host is never resolved, a stub's fetch goes to its object. */
export const operationUrl = (operation: StateObjectOperation): string => `https://detour-state.internal/${operation}`;
