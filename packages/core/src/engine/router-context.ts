import type { PricedOnce } from '../apis/background-responses';
import type { ResponsePins } from '../apis/response-pins';
import type { RouterOptions } from '../options/router-options-schema';
import type { Clock } from '../ports/clock';
import type { Random } from '../ports/random';
import type { Sleep } from '../ports/sleep';
import type { StateStore } from '../ports/state-store';
import type { DescribeTransportError, Transport } from '../ports/transport';
import type { Rechecks } from '../cooldown/rechecks';
import type { RefusalStreaks } from '../cooldown/refusal-streaks';
import type { PriceBook } from '../pricing/price-book';
import type { QuotaRuntime } from '../quota/quota-runtime';
import type { StreamOptionsRefusals } from './stream-options-refusal';
import type { SelectionState } from '../selection/select-endpoint';
import type { Tracer } from '../tracing/tracer';
import type { RouterEvent } from './events';
import type { BreakerReports } from './report-breaker-change';
import type { RouterLifecycle } from './router-lifecycle';
import type { Candidate, ServingScope } from './serving-endpoints';

/**
 * What one router instance shares between its requests: the parsed options, the injected ports, and the state it
 * keeps for itself (selection, prices). Built once by `createRouter`; every step of a request reads it, none
 * replaces it.
 */
export interface RouterContext {
  readonly options: RouterOptions;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly random: Random;
  readonly sleep: Sleep;
  readonly store: StateStore;
  /**
   * Each endpoint's credential fingerprint (`credentialFingerprint`), when the store was supplied (it may be a
   * fleet's): disables are written with it and a disable of another credential is not acted on (`readStates`).
   * Undefined with the router's own memory store, where every disable is this router's.
   */
  readonly credentials: ReadonlyMap<string, string> | undefined;
  readonly describeTransportError: DescribeTransportError;
  readonly selection: SelectionState;
  readonly prices: PriceBook;
  /** Removes upstream credentials from text that leaves the engine (reasons in the store, events, health). */
  readonly scrub: (text: string) => string;
  /** Emits an event built only when someone listens, so a quiet router builds no event objects. */
  readonly emit: (build: () => RouterEvent) => void;
  /** The breaker transitions already reported, so each is reported once (see `reportBreakerChange`). */
  readonly breakerReports: BreakerReports;
  /** The endpoints in a scope (an API, a dialect's other routes; any, when undefined) that serve a model, with the name each calls it. */
  readonly servingEndpoints: (scope: ServingScope, model: string | undefined) => readonly Candidate[];
  /** Which storage holds each stored Response this router served or looked up. */
  readonly pins: ResponsePins;
  /** Each endpoint's (or model's) quota, billing or auth refusals in a row, which lengthen its next hold. */
  readonly refusalStreaks: RefusalStreaks;
  /** Which endpoints (or models) whose hold ran out one request is rechecking, and which a recheck has settled. */
  readonly rechecks: Rechecks;
  /** Endpoints that refused the `stream_options` Detour adds: sent the caller's own body (`stream-options-refusal.ts`). */
  readonly streamOptionsRefusals: StreamOptionsRefusals;
  /** The background responses this router has priced (see `backgroundBilling`). */
  readonly pricedBackground: PricedOnce;
  /** Admission control (quota model and queue); undefined when `admission.enabled` is false. */
  readonly quota: QuotaRuntime | undefined;
  /** Traces requests when set (`traceRequest` gives each traced request a context of its own). */
  readonly tracer: Tracer | undefined;
  /**
   * Requests sent and not yet settled (`settleRequest`), and who waits for none to be (`Router.idle`): a binding's
   * close waits for them, since a request between two attempts holds no connection its pool could wait for.
   */
  readonly inFlight: { open: number; readonly idle: (() => void)[] };
  /** Whether the router was shut down, and the waits a shutdown ends (`router-lifecycle.ts`). */
  readonly lifecycle: RouterLifecycle;
}
