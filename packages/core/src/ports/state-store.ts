import type { BreakerAdmission, BreakerOptions, BreakerResult, BreakerState } from '../breaker/breaker';
import type { RetryBudgetOptions } from '../budget/retry-budget';
import type { QuotaDimension, QuotaObservation } from '../quota/read-quota-headers';
import type { MaybePromise } from './maybe-promise';

/** One (endpoint, model) pair's quota news, as an instance reports it to the fleet or the fleet answers. */
export interface QuotaShare {
  readonly endpoint: string;
  readonly model: string | undefined;
  /**
   * In a report: what this instance spent since its last report (reservations less refunds). In an answer: what
   * the whole fleet has spent on the pair, a running total.
   */
  readonly spent: Partial<Record<QuotaDimension, number>>;
  /** The newest header reading: this instance's since its last report, or the fleet's newest. */
  readonly reading?: { readonly observation: QuotaObservation; readonly at: number } | undefined;
  /**
   * In an answer: when the ledger first heard of the pair, on the receiver's clock. An instance that sees the pair
   * for the first time takes only the part of the running total that falls in a window (the total spread evenly
   * since then), not all of it: a fleet's lifetime spend is no measure of its last minute.
   */
  readonly since?: number | undefined;
}

/** What every router instance must agree on about one endpoint. Plain data, so any store can carry it. */
export interface EndpointState {
  readonly breaker: BreakerState;
  /** Not before this instant, for every model (overload, or a limit with no model). */
  readonly cooldownUntil: number;
  /**
   * Not before these instants, per public model name (rate limits are per model at most providers). A map without
   * a prototype, read only with `modelCooldownUntil`: model names are caller-controlled (`__proto__`).
   */
  readonly modelCooldowns: Readonly<Record<string, number>>;
  /** Disabled until this instant (quota, billing, auth). */
  readonly disabledUntil: number;
  /**
   * The credential the disable was earned with (`credentialFingerprint` of the endpoint's URL, key and headers), when
   * the store was told. A router whose endpoint now has another credential (its key was replaced) ignores the
   * disable: a revoked or spent key's disable is not the new key's. Undefined: the disable holds for any credential.
   */
  readonly disabledBy?: string | undefined;
  /** Why it was last cooled or disabled, for health views. */
  readonly reason: string | undefined;
}

/**
 * Where routers keep endpoint state. Every method may answer synchronously or with a promise, so an in-memory
 * store costs nothing on the hot path while Redis or a Durable Object can plug in without changing the engine.
 * Each method is one atomic step: a shared store must apply it as such (e.g. one Lua script).
 *
 * Bound every call: a request waits for its store's answers only until its deadline, its caller's leaving or the
 * router's `shutDown()`, then ends as those end it (a late answer is dropped; a probe slot granted late is handed
 * back), but with `deadlineMs` at its default a hung call holds each request ten minutes, and `Router.health()` waits
 * as long as the store does. The shipped stores time their calls out (Redis 200 ms, Durable Objects 1 s).
 */
export interface StateStore {
  /** The endpoint's current state (a fresh, closed state when unknown). */
  read(endpoint: string): MaybePromise<EndpointState>;
  /** Asks the breaker to admit an attempt, taking a half-open probe slot when it grants one. */
  admit(endpoint: string, now: number, options: BreakerOptions): MaybePromise<BreakerAdmission>;
  /** Records an attempt's result in the breaker; returns the breaker after it. */
  recordResult(endpoint: string, result: BreakerResult, options: BreakerOptions): MaybePromise<BreakerState>;
  /**
   * Cools the endpoint (or one model on it) until `until`; a later deadline already set wins. `now` lets a store drop
   * model cooldowns that have run out and keep at most `maxModelCooldowns` per endpoint.
   */
  coolDown(endpoint: string, until: number, model: string | undefined, reason: string, now?: number): MaybePromise<void>;
  /**
   * Disables the endpoint until `until`, earned with `credential` (see {@link EndpointState.disabledBy}). A later
   * deadline already set by the same credential wins; one set by another credential gives way to this one.
   */
  disable(endpoint: string, until: number, reason: string, credential?: string): MaybePromise<void>;
  /** Counts one request into the retry budget. */
  depositRequest(now: number, options: RetryBudgetOptions): MaybePromise<void>;
  /** Takes one retry from the budget; false when it is spent. */
  spendRetry(now: number, options: RetryBudgetOptions): MaybePromise<boolean>;
  /**
   * Optional, for fleet-wide admission: adds one instance's quota report (spend since its last report, newest
   * readings) to the fleet's picture and answers with that picture (running spend totals, the newest reading per
   * pair). Called in the background every `admission.fleetSyncMs` at most, never on a request's path. A store
   * without it keeps each instance's quota model to itself.
   *
   * `cursor` is the caller's place in the picture (one per router, kept across its calls): a store may answer with
   * only the pairs that changed since the answer that set it, and move it. Without one, it answers with everything.
   */
  exchangeQuota?(report: readonly QuotaShare[], now: number, cursor?: QuotaCursor): MaybePromise<readonly QuotaShare[]>;
  /**
   * Optional, for fleet stores: the endpoints a router routes to, told once when the router is made. A shared store
   * keeps their fleet state whatever its bound on names only the fleet knows, and puts back what the fleet lost of
   * theirs (an expired or deleted entry) as long as it runs.
   */
  track?(endpoints: readonly string[]): void;
}

/**
 * A caller's place in a store's quota picture (see `StateStore.exchangeQuota`): the store's to read and set, opaque
 * to the caller, which keeps one per router so that routers sharing a store each get every change.
 */
export interface QuotaCursor {
  /** Where the store's last answer to this caller left off, in the store's own terms (a score, a counter). */
  position?: string | number;
}
