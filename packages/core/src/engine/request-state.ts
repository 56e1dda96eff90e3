import { apiOfPath, otherRoutesOf, type ApiName } from '../apis/api-name';
import { isPinnableId, storedReferenceOf, type StoredReference } from '../apis/stored-response';
import { initialBackoffState, type BackoffState } from '../backoff/backoff';
import type { RecheckClaim } from '../cooldown/rechecks';
import type { BreakerAdmission } from '../breaker/breaker';
import { startDeadline, type Deadline } from '../budget/deadline';
import { DetourError } from '../errors/detour-error';
import type { AttemptRecord } from './attempt-record';
import { prepareRequest, type PreparedRequest, type RouteRequest } from './prepare-request';
import type { RequestQuota } from '../quota/quota-step';
import { inStorage, responseNotFound } from './response-pinning';
import type { RouterContext } from './router-context';
import type { AttemptFailure, AttemptSuccess } from './run-attempt';
import type { Candidate, ServingScope } from './serving-endpoints';

/** The last failed attempt: where it went and what came back. */
export interface LastFailure {
  readonly candidate: Candidate;
  readonly outcome: AttemptFailure;
}

/**
 * Everything one request carries from step to step, in one object rather than a dozen closure variables: what was
 * asked, what has been tried, what the current attempt holds, and whether the request has ended. Created once per
 * request; the steps of `sendRequest` read and update it.
 */
/**
 * What the engine reads of the caller's request once it is prepared: not its body or JSON, which `prepared` carries.
 * A stream keeps its state for its whole life, and would otherwise keep the caller's bytes beside their prepared
 * copy (the body with `stream_options` added).
 */
export type RequestOrigin = Pick<RouteRequest, 'signal' | 'priority' | 'headers' | 'caller'>;

export interface RequestState {
  readonly request: RequestOrigin;
  /** Parsed once; a served stream keeps only what a rescue needs of it (see `serveResult`, `withParsedBody`). */
  prepared: PreparedRequest;
  /** The public model being served: the caller's, or the fallback it moved to (`fallbacks`). */
  model: string | undefined;
  /** The API of the request's route (`apiOfPath`); undefined for routes of no API, served by every endpoint. */
  readonly api: ApiName | undefined;
  /** What `serving` was drawn from: the API, or for a route of none its caller's dialect (`otherRoutesOf`). */
  readonly scope: ServingScope;
  /**
   * Endpoints that speak the API and serve the model, in the options' order (states are read in the same order);
   * narrowed to one storage when the request continues a stored response.
   */
  serving: readonly Candidate[];
  /** The stored response (or conversation) the request continues or addresses, when it does. */
  readonly reference: StoredReference | undefined;
  /** `serving` is narrowed to the storage holding `reference`; false while that storage is still to be looked up. */
  pinned: boolean;
  /** Public models this request has been routed to, the caller's first: a fallback never goes back to one. */
  readonly models: (string | undefined)[];
  /**
   * Endpoint and upstream model pairs that refused the request as too long or against policy: never sent it again.
   * This and the other per-request collections are made on first write: most requests never fail, and a stream
   * keeps its state for its whole life.
   */
  refused: Set<string> | undefined;
  /** The last failure moved the request to a fallback model: the next attempt is a new question, not a retry. */
  fellBack: boolean;
  /** Time spent waiting for a preferred tier (`preferWaitMs`). */
  preferWaitedMs: number;
  /** Endpoints already given their one same-endpoint retry after a transient 5xx (`preferWaitMs`). */
  retriedSame: Set<string> | undefined;
  /** The endpoint owed that one retry now, if any. */
  retryOnce: string | undefined;
  /** The current attempt was sent the `stream_options` Detour added (see `stream-options-refusal.ts`). */
  sentAddedUsage: boolean;
  /** Endpoints that refused the `stream_options` Detour added in this request: sent the caller's body since. */
  usageRefusedBy: Set<string> | undefined;
  /** Attempts that do not count against `maxAttempts`: the retries after such a refusal, which are Detour's doing. */
  freeAttempts: number;
  readonly startedAt: number;
  readonly deadline: Deadline;
  /** Every attempt so far; handed to the result and to errors as is. */
  readonly attempts: AttemptRecord[];
  /** Endpoints already attempted: not chosen again unless `retryAt` says when (see {@link markTried}). */
  tried: Set<string> | undefined;
  /** When a tried endpoint may be retried (a server delay or a backoff). */
  retryAt: Map<string, number> | undefined;
  /**
   * Endpoints passed over, not tried, while another request rechecks them (`rechecks.ts`), and when the request may
   * look at each again: it is chosen again then as one not yet asked, and not waited for as a better tier.
   */
  passedOver: Map<string, number> | undefined;
  /** Bodies renamed for an endpoint's model name, built once per name. */
  bodyCache: Map<string, Uint8Array> | undefined;
  backoff: BackoffState;
  last: LastFailure | undefined;
  /** Set when the last failure allows only a retry on the same endpoint (no failover). */
  sameOnly: string | undefined;
  /** The loop slept since the last attempt: the next one is a retry that spends budget. */
  waited: boolean;
  /** The retry after a wait was drawn from the budget before the wait (see `waitForEndpoint`): not drawn again. */
  retryPaid: boolean;

  /** The current attempt's endpoint, admission and start. */
  chosen: Candidate | undefined;
  admission: BreakerAdmission | undefined;
  attemptStartedAt: number;
  /** When the current attempt's stream committed (its first event counted as the endpoint's success). */
  committedAt: number;
  /**
   * What the current attempt holds and must hand back if the request fails before it is settled: a half-open
   * probe slot, a pending count in the latency estimate, a live stream not yet given to the caller.
   */
  holdsProbe: boolean;
  holdsPending: boolean;
  heldStream: AttemptSuccess | undefined;
  /** The current attempt rechecks an endpoint or model whose hold ran out (`rechecks.ts`): its answer ends the claim. */
  recheck: RecheckClaim | undefined;

  /** Admission's estimate, priority and reservations (`quota-step.ts`); undefined until admission first looks. */
  quota: RequestQuota | undefined;

  /** The request has emitted its `request-end` (see `settleRequest`). */
  ended: boolean;

  /**
   * Set on the state a mid-stream rescue runs its attempts with (see `rescue-stream.ts`): a request-caused
   * rejection (a 400 because the target refuses a prefill) fails over rather than ending the rescue.
   */
  rescuing: boolean;
  /**
   * The body one endpoint is sent instead of the caller's (a rescue's continuation); undefined for the caller's.
   * `callerBody`: the endpoint is sent the caller's options, without the `stream_options` Detour adds.
   */
  rewriteBody: ((candidate: Candidate, callerBody: boolean) => string | undefined) | undefined;
}

/**
 * Prepares a request and opens its state: parses it once, finds the endpoints that speak its API and serve its
 * model, narrows them to the storage holding the stored response it continues when this router knows it, and
 * starts the deadline. A request refused here (too large, a model or API nobody serves, an id that cannot be one)
 * has not been routed: it throws before any state exists and emits no `request-end`.
 */
export const openRequest = ({ options, clock, servingEndpoints, pins }: RouterContext, request: RouteRequest): RequestState => {
  const startedAt = clock.now();
  const prepared = prepareRequest(request, options.maxRequestBytes, { injectStreamUsage: options.streamUsage === 'inject' });
  const { model } = prepared;
  const api = apiOfPath(prepared.path);
  const scope = api ?? otherRoutesOf(prepared.headers);
  let serving = servingEndpoints(scope, model);
  if (serving.length === 0) throw notServed(servingEndpoints, api, model);
  const reference = storedReferenceOf(api, prepared.method, prepared.path, prepared.json);
  let pinned = reference === undefined;
  if (reference) {
    if (!isPinnableId(reference.id)) throw responseNotFound(reference.id);
    const storage = pins.get(reference.key);
    if (storage !== undefined) {
      serving = inStorage(serving, storage, reference.id, model);
      pinned = true;
    }
  }
  return {
    request: { signal: request.signal, priority: request.priority, headers: request.headers, caller: request.caller },
    prepared, model, api, scope, serving, reference, pinned, startedAt,
    models: [model], refused: undefined, fellBack: false, preferWaitedMs: 0, retriedSame: undefined, retryOnce: undefined,
    sentAddedUsage: false, usageRefusedBy: undefined, freeAttempts: 0,
    deadline: startDeadline(clock, options.deadlineMs, request.signal),
    attempts: [], tried: undefined, retryAt: undefined, passedOver: undefined, bodyCache: undefined,
    backoff: initialBackoffState, last: undefined, sameOnly: undefined, waited: false, retryPaid: false,
    chosen: undefined, admission: undefined, attemptStartedAt: 0, committedAt: 0,
    holdsProbe: false, holdsPending: false, heldStream: undefined, recheck: undefined,
    quota: undefined, ended: false, rescuing: false, rewriteBody: undefined,
  };
};

/**
 * Why no endpoint takes the request: `api_not_served` when some endpoint serves the model on another API (or none
 * speaks this API at all), else `model_not_found`, as before APIs existed.
 */
const notServed = (
  servingEndpoints: RouterContext['servingEndpoints'], api: ApiName | undefined, model: string | undefined,
): DetourError => {
  if (api !== undefined && (servingEndpoints(undefined, model).length > 0 || servingEndpoints(api, undefined).length === 0)) {
    return new DetourError('api_not_served', {
      message: `No endpoint speaks the ${api} API${model === undefined ? '' : ` for the model "${model}"`}.`,
    });
  }
  return new DetourError('model_not_found', { message: `No endpoint serves the model "${model}".` });
};

/** The endpoint was attempted (or refused the attempt): it is not chosen again unless a `retryAt` is set for it. */
export const markTried = (state: RequestState, endpoint: string): void => {
  (state.tried ??= new Set()).add(endpoint);
  state.retryAt?.delete(endpoint);
};
