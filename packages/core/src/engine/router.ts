import { createPricedOnce } from '../apis/background-responses';
import type { ApiName } from '../apis/api-name';
import { createResponsePins } from '../apis/response-pins';
import type { BreakerPosition } from '../breaker/breaker';
import { liveModelCooldowns } from '../cooldown/model-cooldowns';
import { createRechecks } from '../cooldown/rechecks';
import { createRefusalStreaks } from '../cooldown/refusal-streaks';
import { parseRouterOptions } from '../options/parse-router-options';
import type { RouterOptions, RouterOptionsInput } from '../options/router-options-schema';
import type { Clock } from '../ports/clock';
import { describeTransportError as describeByCode } from '../ports/describe-transport-error';
import { defaultRandom, type Random } from '../ports/random';
import { createSleep, type Sleep } from '../ports/sleep';
import type { StateStore } from '../ports/state-store';
import { systemClock } from '../ports/system-clock';
import type { DescribeTransportError, Transport, UpstreamHeaders } from '../ports/transport';
import { createPriceBook } from '../pricing/price-book';
import type { Usage } from '../pricing/usage';
import { createQuotaRuntime } from '../quota/quota-runtime';
import { admissionDepth } from '../quota/quota-step';
import type { QuotaRemaining } from '../quota/quota-tracker';
import { createSecretScrubber, endpointSecrets } from '../secrets/secret-scrubber';
import { createSelectionState } from '../selection/select-endpoint';
import { createMemoryStore } from '../state/memory-store';
import { credentialFingerprint } from '../state/credential-fingerprint';
import type { AttemptRecord } from './attempt-record';
import { isAvailable } from './endpoint-availability';
import { createEventHub, type Disposable, type RouterEvent } from './events';
import type { RouteRequest } from './prepare-request';
import type { RouterContext } from './router-context';
import { readStates } from './read-states';
import { createRouterLifecycle, shutDownRouter } from './router-lifecycle';
import { sendRequest } from './send-request';
import { createServingEndpoints } from './serving-endpoints';
import type { Tracer } from '../tracing/tracer';

/** The runtime pieces a router runs on. Only the transport is required. */
export interface RouterDependencies {
  readonly transport: Transport;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: Random;
  /** @default a sleep on `clock` */
  readonly sleep?: Sleep;
  /** Where breaker, cooldown and budget state live. @default an in-memory store */
  readonly store?: StateStore;
  /** Maps the runtime's network errors onto core's terms. @default a reading of common error codes */
  readonly describeTransportError?: DescribeTransportError;
  /**
   * Traces each routed request as a span with a child span per attempt (`openTelemetryTracer(api)` adapts
   * OpenTelemetry; see docs/tracing.md). `false` turns off the discovery `@detour/node` does. @default none
   */
  readonly tracer?: Tracer | false;
}

/** A served request. Exactly one of `body` (JSON answers, buffered) and `stream` (event streams) is set. */
export interface RouteResult {
  readonly status: number;
  readonly headers: UpstreamHeaders;
  /** The endpoint that served it. */
  readonly endpoint: string;
  /** The public model served: the caller's, or the fallback the request moved to (`fallbacks`). */
  readonly model: string | undefined;
  /** The model name the endpoint was sent. */
  readonly upstreamModel: string | undefined;
  readonly attempts: readonly AttemptRecord[];
  readonly body: Uint8Array | undefined;
  /** The upstream's events; fails with `StreamInterruptedError` rather than ending cleanly on a cut. */
  readonly stream: AsyncIterableIterator<Uint8Array> | undefined;
  /** Usage of a buffered answer (streams report theirs in a `cost-record` event when they end). */
  readonly usage: Usage | undefined;
  /**
   * USD of the request: the served attempt and every billed attempt before it that failed over (priced as in the
   * `cost-record` events), when the served model has a price and usage was reported. Streams report theirs in
   * `cost-record` events when they end.
   */
  readonly costUsd: number | undefined;
  /** Cancels a streamed answer's upstream. */
  cancel(reason?: unknown): void;
}

/** One endpoint's health, for dashboards, metrics and `/healthz`. */
export interface EndpointHealth {
  readonly name: string;
  readonly priority: number;
  readonly weight: number;
  readonly breaker: BreakerPosition;
  readonly breakerOpenUntil: number;
  readonly cooldownUntil: number;
  /**
   * Until when the endpoint rests after an overload that named no delay (`cooldown.overloadedMs`), in this router:
   * it is passed over while another endpoint can take a request, never refused for it, so a resting endpoint is
   * still `available`. 0 when it does not rest.
   */
  readonly restingUntil: number;
  /** Models cooling now (expired ones left out), in a map without a prototype. */
  readonly modelCooldowns: Readonly<Record<string, number>>;
  readonly disabledUntil: number;
  readonly reason: string | undefined;
  /** Takes requests now (for at least some model); a resting one ({@link EndpointHealth.restingUntil}) does. */
  readonly available: boolean;
  /** Attempts this instance has in flight on the endpoint (a stream counts until it settles). */
  readonly pending: number;
  /** The APIs the endpoint speaks (its `apis` option or its provider's defaults). */
  readonly apis: readonly ApiName[];
  /**
   * What admission believes is left of the endpoint's quota now (the tightest of its models), per dimension it
   * knows (`requests`, `tokens`, `input-tokens`, `output-tokens`); empty when it knows none or admission is off.
   */
  readonly quota: QuotaRemaining;
  /**
   * Milliseconds until each dimension of {@link EndpointHealth.quota} is whole again (0 when it is), the longest of
   * the endpoint's models; what a provider's reset header says. Empty when admission knows no quota.
   */
  readonly quotaResetMs: QuotaRemaining;
}

/** The admission queue's depth, in all and per priority class, and the reservations in flight. */
export interface AdmissionHealth {
  readonly total: number;
  readonly high: number;
  readonly normal: number;
  readonly low: number;
  /** Attempts (and streams) holding quota now: each is settled when it ends. */
  readonly reserved: number;
}

/** Routes requests across endpoints with failover, breakers, cooldowns, budgets and one deadline. */
export interface Router {
  readonly options: RouterOptions;
  /** Sends a request; resolves with a 2xx, or rejects with a {@link DetourError}. */
  send(request: RouteRequest): Promise<RouteResult>;
  /** Listens to every {@link RouterEvent}; dispose the subscription when done. */
  subscribe(listener: (event: RouterEvent) => void): Disposable;
  /** The state of every endpoint. */
  health(): Promise<EndpointHealth[]>;
  /** The admission queue's depth now; undefined when admission is off. */
  admission(): AdmissionHealth | undefined;
  /**
   * Resolves once no request is in flight: every one sent has settled (answered, its stream ended or was cut or
   * abandoned, or it failed). A request between attempts counts, though it holds no connection then.
   */
  idle(): Promise<void>;
  /**
   * Tells the fleet, through the store, what this router has learnt and not shared yet: admission's quota spend and
   * readings, otherwise sent within `admission.fleetSyncMs`. Call it once requests have settled and before the store
   * closes, so that a restart does not forget the last spend and let the next process admit it again. Resolves when
   * the store has answered or failed, within a second; at once with the router's own store or admission off.
   */
  flush(): Promise<void>;
  /**
   * Shuts the router down at once, for a host whose close ran out of grace and is about to cut what is left (a
   * binding destroying its pool, a gateway closing its callers' connections): call it just before the cut. From then
   * on a request is refused (`RouterClosedError`, `router_closed`), no attempt starts, no stream is rescued, and every
   * wait ends with `router_closed`. What the cut ends is the shutdown's: an attempt whose pool closed under it (the
   * binding's transport error description marks it `closed`) or whose caller signal the host aborted with a
   * `RouterClosedError` (as the gateway does for the connections it closes) ends its request with `router_closed`, and
   * a stream cut so ends as `shutdown`; neither counts against an endpoint's breaker, cooldown or latency, in this
   * router or, through a shared store, in the fleet. What an endpoint does meanwhile stays its own: an answer is
   * served, an error answer or a cut of its own counts against it, and a request out of attempts ends with its last
   * answer. A caller's own abort stays the caller's. `@detour/node`'s router calls it from
   * `close({ graceMs })` when the bound passes, if it has a pool of its own; a host that tears down a transport of its
   * own calls it first.
   */
  shutDown(): void;
}

/**
 * Creates a router. Options are validated once here (a bad field throws `InvalidOptionsError` naming it); the
 * transport, clock, sleep, randomness and store are injected, so the same engine runs on undici, Web fetch, or a
 * scripted fake on a fake clock. A request's path is `sendRequest`; this file wires the pieces and reports health.
 *
 * The attempt loop: select an available endpoint (lowest tier first), send, classify, update breaker, cooldown
 * and latency state, then fail over at once. It sleeps only when no endpoint can take the request now and a server
 * delay or backoff frees one within `maxServerDelayMs` and the deadline (never for a breaker to reopen); when none
 * can from the start, it fails fast with `NoEndpointAvailableError` saying when the earliest frees up.
 *
 * @example
 * const router = createRouter({ endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey }] }, { transport });
 * const result = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages }) });
 */
export const createRouter = (input: RouterOptionsInput, dependencies: RouterDependencies): Router => {
  const options = parseRouterOptions(input);
  const clock = dependencies.clock ?? systemClock;
  const events = createEventHub();
  const store = dependencies.store ?? createMemoryStore();
  dependencies.store?.track?.(options.endpoints.map((endpoint) => endpoint.name));
  const context: RouterContext = {
    options,
    transport: dependencies.transport,
    clock,
    random: dependencies.random ?? defaultRandom,
    sleep: dependencies.sleep ?? createSleep(clock),
    store,
    credentials: dependencies.store ? new Map(options.endpoints.map((endpoint) => [endpoint.name, credentialFingerprint(endpoint)])) : undefined,
    describeTransportError: dependencies.describeTransportError ?? describeByCode,
    selection: createSelectionState(),
    prices: createPriceBook(options.prices),
    scrub: createSecretScrubber(endpointSecrets(options.endpoints)),
    emit: (build) => {
      if (events.active) events.emit(build());
    },
    breakerReports: new Map(),
    servingEndpoints: createServingEndpoints(options.endpoints),
    pins: createResponsePins(),
    pricedBackground: createPricedOnce(),
    streamOptionsRefusals: new Map(),
    refusalStreaks: createRefusalStreaks(),
    rechecks: createRechecks(),
    // A router's own memory store has no one to share quota with: its fleet reports would be bookkeeping for nobody.
    quota: createQuotaRuntime(options, clock, dependencies.store),
    tracer: dependencies.tracer || undefined,
    inFlight: { open: 0, idle: [] },
    lifecycle: createRouterLifecycle(),
  };
  return {
    options,
    send: (request) => sendRequest(context, request),
    subscribe: (listener) => events.subscribe(listener),
    health: () => endpointHealth(context),
    admission: () => admissionDepth(context.quota),
    idle: () => (context.inFlight.open === 0 ? Promise.resolve() : new Promise((resolve) => context.inFlight.idle.push(resolve))),
    flush: () => context.quota?.flush() ?? Promise.resolve(),
    shutDown: () => shutDownRouter(context.lifecycle),
  };
};

/** Every endpoint's state as `health()` reports it. */
const endpointHealth = async (context: RouterContext): Promise<EndpointHealth[]> => {
  const { clock, options, selection, scrub, servingEndpoints, quota } = context;
  const now = clock.now();
  const remaining = quota?.tracker.remaining(now);
  const resets = quota?.tracker.resetsIn(now);
  const all = servingEndpoints(undefined, undefined);
  const states = await readStates(context, all);
  return all.map((candidate, index) => {
    const state = states[index]!;
    // Resting after an overload is a soft cooldown this router keeps: it passes the endpoint over, never refuses it
    // a request. Counted as unavailable, one 503 made /healthz answer 503 for two seconds while every request was
    // served, and a balancer took the gateway out of rotation (attack 20, M1).
    const restingUntil = selection.overloaded.get(candidate.name) ?? 0;
    return {
      name: candidate.name, priority: candidate.priority, weight: candidate.weight,
      breaker: state.breaker.position === 'open' && state.breaker.openUntil <= now ? 'half_open' : state.breaker.position,
      breakerOpenUntil: state.breaker.openUntil, cooldownUntil: state.cooldownUntil, restingUntil: restingUntil > now ? restingUntil : 0,
      modelCooldowns: liveModelCooldowns(state.modelCooldowns, now),
      // Scrubbed again on the way out: a shared store may hold a reason written by an older instance.
      disabledUntil: state.disabledUntil, reason: state.reason === undefined ? undefined : scrub(state.reason), available: isAvailable(state, undefined, now, options.breaker),
      pending: selection.latency.get(candidate.name)?.pending ?? 0, apis: candidate.endpoint.apis,
      quota: remaining?.get(candidate.name) ?? {}, quotaResetMs: resets?.get(candidate.name) ?? {},
    };
  });
};
