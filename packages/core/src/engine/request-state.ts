import { initialBackoffState, type BackoffState } from '../backoff/backoff';
import type { BreakerAdmission } from '../breaker/breaker';
import { startDeadline, type Deadline } from '../budget/deadline';
import { DetourError } from '../errors/detour-error';
import type { AttemptRecord } from './attempt-record';
import { prepareRequest, type PreparedRequest, type RouteRequest } from './prepare-request';
import type { RouterContext } from './router-context';
import type { AttemptFailure, AttemptSuccess } from './run-attempt';
import type { Candidate } from './serving-endpoints';

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
export interface RequestState {
  readonly request: RouteRequest;
  readonly prepared: PreparedRequest;
  /** The public model name the caller asked for. */
  readonly model: string | undefined;
  /** Endpoints that serve the model, in the options' order (states are read in the same order). */
  readonly serving: readonly Candidate[];
  readonly startedAt: number;
  readonly deadline: Deadline;
  /** Every attempt so far; handed to the result and to errors as is. */
  readonly attempts: AttemptRecord[];
  /** Endpoints already attempted: not chosen again unless `retryAt` says when. */
  readonly tried: Set<string>;
  /** When a tried endpoint may be retried (a server delay or a backoff). */
  readonly retryAt: Map<string, number>;
  /** Bodies renamed for an endpoint's model name, built once per name. */
  readonly bodyCache: Map<string, string>;
  backoff: BackoffState;
  last: LastFailure | undefined;
  /** Set when the last failure allows only a retry on the same endpoint (no failover). */
  sameOnly: string | undefined;
  /** The loop slept since the last attempt: the next one is a retry that spends budget. */
  waited: boolean;

  /** The current attempt's endpoint, admission and start. */
  chosen: Candidate | undefined;
  admission: BreakerAdmission | undefined;
  attemptStartedAt: number;
  /**
   * What the current attempt holds and must hand back if the request fails before it is settled: a half-open
   * probe slot, a pending count in the latency estimate, a live stream not yet given to the caller.
   */
  holdsProbe: boolean;
  holdsPending: boolean;
  heldStream: AttemptSuccess | undefined;

  /** The request has emitted its `request-end` (see `settleRequest`). */
  ended: boolean;

  /**
   * Set on the state a mid-stream rescue runs its attempts with (see `rescue-stream.ts`): a request-caused
   * rejection (a 400 because the target refuses a prefill) fails over rather than ending the rescue.
   */
  rescuing: boolean;
  /** The body one endpoint is sent instead of the caller's (a rescue's continuation); undefined for the caller's. */
  rewriteBody: ((candidate: Candidate) => string | undefined) | undefined;
}

/**
 * Prepares a request and opens its state: parses it once, finds the endpoints that serve its model and starts the
 * deadline. A request refused here (too large, a model nobody serves) has not been routed: it throws before any
 * state exists and emits no `request-end`.
 */
export const openRequest = ({ options, clock, servingEndpoints }: RouterContext, request: RouteRequest): RequestState => {
  const startedAt = clock.now();
  const prepared = prepareRequest(request, options.maxRequestBytes, { injectStreamUsage: options.streamUsage === 'inject' });
  const { model } = prepared;
  const serving = servingEndpoints(model);
  if (serving.length === 0) {
    throw new DetourError('model_not_found', { message: `No endpoint serves the model "${model}".` });
  }
  return {
    request, prepared, model, serving, startedAt,
    deadline: startDeadline(clock, options.deadlineMs, request.signal),
    attempts: [], tried: new Set(), retryAt: new Map(), bodyCache: new Map(),
    backoff: initialBackoffState, last: undefined, sameOnly: undefined, waited: false,
    chosen: undefined, admission: undefined, attemptStartedAt: 0,
    holdsProbe: false, holdsPending: false, heldStream: undefined,
    ended: false, rescuing: false, rewriteBody: undefined,
  };
};
