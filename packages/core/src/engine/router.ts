import { initialBackoffState, jitterServerDelay, nextBackoff } from '../backoff/backoff';
import type { BreakerPosition, BreakerState } from '../breaker/breaker';
import { startDeadline, type Deadline } from '../budget/deadline';
import type { Classification } from '../classification/classification';
import { AttemptsExhaustedError, type ExhaustedReason, type LastResponse } from '../errors/attempts-exhausted-error';
import { DetourError } from '../errors/detour-error';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import type { Endpoint } from '../options/endpoint-schema';
import { parseRouterOptions } from '../options/parse-router-options';
import type { RouterOptions, RouterOptionsInput } from '../options/router-options-schema';
import type { Clock } from '../ports/clock';
import { describeTransportError as describeByCode } from '../ports/describe-transport-error';
import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import { defaultRandom, type Random } from '../ports/random';
import { createSleep, type Sleep } from '../ports/sleep';
import type { EndpointState, StateStore } from '../ports/state-store';
import { systemClock } from '../ports/system-clock';
import type { DescribeTransportError, Transport, UpstreamHeaders } from '../ports/transport';
import { liveModelCooldowns } from '../cooldown/model-cooldowns';
import { createPriceBook, type PriceBook } from '../pricing/price-book';
import { createSecretScrubber, endpointSecrets } from '../secrets/secret-scrubber';
import type { Usage } from '../pricing/usage';
import { trackPending } from '../selection/peak-ewma';
import { createSelectionState, selectEndpoint } from '../selection/select-endpoint';
import { createMemoryStore } from '../state/memory-store';
import { guardStream, type StreamSettlement } from '../streaming/guard-stream';
import { createUsageChunkFilter } from '../streaming/usage-chunk-filter';
import { applyAttemptOutcome } from './apply-attempt-outcome';
import { buildAttemptRequest } from './attempt-request';
import type { AttemptRecord } from './attempt-record';
import { admissibleFrom, isAvailable } from './endpoint-availability';
import { createEventHub, type Disposable, type RouterEvent } from './events';
import { prepareRequest, upstreamModelName, type PreparedRequest, type RouteRequest } from './prepare-request';
import { runAttempt, type AttemptFailure, type AttemptSuccess } from './run-attempt';

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
}

/** A served request. Exactly one of `body` (JSON answers, buffered) and `stream` (event streams) is set. */
export interface RouteResult {
  readonly status: number;
  readonly headers: UpstreamHeaders;
  /** The endpoint that served it. */
  readonly endpoint: string;
  readonly model: string | undefined;
  /** The model name the endpoint was sent. */
  readonly upstreamModel: string | undefined;
  readonly attempts: readonly AttemptRecord[];
  readonly body: Uint8Array | undefined;
  /** The upstream's events; fails with `StreamInterruptedError` rather than ending cleanly on a cut. */
  readonly stream: AsyncIterableIterator<Uint8Array> | undefined;
  /** Usage of a buffered answer (streams report theirs in a `cost-record` event when they end). */
  readonly usage: Usage | undefined;
  /** USD of the served attempt, when the model has a price and usage was reported. */
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
  /** Models cooling now (expired ones left out), in a map without a prototype. */
  readonly modelCooldowns: Readonly<Record<string, number>>;
  readonly disabledUntil: number;
  readonly reason: string | undefined;
  /** Takes requests now (for at least some model). */
  readonly available: boolean;
  /** Attempts this instance has in flight on the endpoint (a stream counts until it settles). */
  readonly pending: number;
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
}

interface Candidate {
  readonly endpoint: Endpoint;
  readonly name: string;
  readonly priority: number;
  readonly weight: number;
  readonly upstreamModel: string | undefined;
}

/** The cost outcome of a settled stream: a caller who left is neither a success nor the provider's failure. */
const costOutcomes = { complete: 'success', interrupted: 'failed', cancelled: 'abandoned' } as const;

/**
 * The `request-end` code of a settled stream: undefined when complete; `client_closed` when the caller cancelled or
 * aborted; `client_idle` when it stopped reading without a word; `deadline_exceeded` when the deadline cut it
 * (`streamDeadline: 'total'`); otherwise the interruption's code (`stream_interrupted`).
 */
const endCode = (settlement: StreamSettlement): string | undefined => {
  if (settlement.outcome === 'complete') return undefined;
  if (settlement.cause === 'caller') return 'client_closed';
  if (settlement.cause === 'abandoned') return 'client_idle';
  if (settlement.cause === 'deadline') return 'deadline_exceeded';
  return settlement.error?.code ?? 'stream_interrupted';
};

/**
 * Creates a router. Options are validated once here (a bad field throws `InvalidOptionsError` naming it); the
 * transport, clock, sleep, randomness and store are injected, so the same engine runs on undici, Web fetch, or a
 * scripted fake on a fake clock.
 *
 * The attempt loop: select an available endpoint (lowest tier first), send, classify, update breaker, cooldown
 * and latency state, then fail over at once. It sleeps only when no endpoint can take the request now and a server
 * delay or backoff frees one within `maxServerDelayMs` and the deadline (never for a breaker to reopen); when none can from the start, it fails fast with
 * `NoEndpointAvailableError` saying when the earliest frees up.
 *
 * @example
 * const router = createRouter({ endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey }] }, { transport });
 * const result = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages }) });
 */
export const createRouter = (input: RouterOptionsInput, dependencies: RouterDependencies): Router => {
  const options = parseRouterOptions(input);
  const { transport } = dependencies;
  const clock = dependencies.clock ?? systemClock;
  const random = dependencies.random ?? defaultRandom;
  const sleep = dependencies.sleep ?? createSleep(clock);
  const store = dependencies.store ?? createMemoryStore();
  const describeTransportError = dependencies.describeTransportError ?? describeByCode;
  const events = createEventHub();
  const selection = createSelectionState();
  const prices: PriceBook = createPriceBook(options.prices);
  const servingCache = new Map<string, Candidate[]>();
  const scrub = createSecretScrubber(endpointSecrets(options.endpoints));

  /** Endpoints that serve a model, with the name each calls it; cached per model. */
  const servingEndpoints = (model: string | undefined): Candidate[] => {
    const key = model ?? '\u0000';
    let serving = servingCache.get(key);
    if (!serving) {
      serving = [];
      for (const endpoint of options.endpoints) {
        const upstreamModel = upstreamModelName(endpoint, model);
        if (upstreamModel === undefined) continue;
        serving.push({ endpoint, name: endpoint.name, priority: endpoint.priority, weight: endpoint.weight, upstreamModel: upstreamModel || undefined });
      }
      if (servingCache.size < 1000) servingCache.set(key, serving);
    }
    return serving;
  };

  // Awaiting a value that is not a promise still costs a microtask per await; with the in-memory store every
  // answer is synchronous, so the hot path awaits only when a store really is asynchronous.
  const readStates = (candidates: readonly Candidate[]): MaybePromise<EndpointState[]> => {
    const states: MaybePromise<EndpointState>[] = candidates.map((candidate) => store.read(candidate.name));
    return states.some(isPromiseLike) ? Promise.all(states) : (states as EndpointState[]);
  };

  const emit = (build: () => RouterEvent) => {
    if (events.active) events.emit(build());
  };

  const costOfFailure = (prepared: PreparedRequest, model: string | undefined, outcome: AttemptFailure) => {
    if (!outcome.billed || model === undefined) return undefined;
    // The provider did not report usage for a broken answer: estimate ≈4 bytes a prompt token, one token an event.
    const usage: Usage = { inputTokens: Math.ceil(prepared.bodyBytes / 4), cachedInputTokens: 0, outputTokens: outcome.eventsSeen };
    return { usage, costUsd: prices.costOf(model, usage) };
  };

  const applyOutcome = (
    endpoint: string,
    classification: Classification,
    admission: { generation: number; probe: boolean; position: BreakerPosition },
    fields: { now: number; model: string | undefined; rttMs: number },
  ): MaybePromise<void> =>
    applyAttemptOutcome({ store, options, latency: selection.latency, random, emit, scrub }, { endpoint, classification, admission, ...fields });

  const send = async (request: RouteRequest): Promise<RouteResult> => {
    const startedAt = clock.now();
    const prepared = prepareRequest(request, options.maxRequestBytes, { injectStreamUsage: options.streamUsage === 'inject' });
    const { model } = prepared;
    const serving = servingEndpoints(model);
    if (serving.length === 0) {
      throw new DetourError('model_not_found', { message: `No endpoint serves the model "${model}".` });
    }
    const deadline: Deadline = startDeadline(clock, options.deadlineMs, request.signal);
    const attempts: AttemptRecord[] = [];
    const tried = new Set<string>();
    const retryAt = new Map<string, number>();
    const bodyCache = new Map<string, string>();
    let backoff = initialBackoffState;
    let last: { candidate: Candidate; outcome: AttemptFailure } | undefined;
    let sameOnly: string | undefined;
    let waited = false;

    // The one door every ending goes through — an answer, a stream's end, a cut, an abort, the deadline, an
    // exception: it clears the deadline and emits `request-end`, exactly once.
    let ended = false;
    const settle = (ok: boolean, endpoint: string | undefined, code: string | undefined, firstByteMs?: number) => {
      if (ended) return;
      ended = true;
      deadline.dispose();
      emit(() => ({
        type: 'request-end', ok, endpoint, attempts: attempts.length, durationMs: clock.now() - startedAt,
        firstByteMs, stream: prepared.stream, code, at: clock.now(),
      }));
    };

    const giveUp = (reason: ExhaustedReason, retryAfterMs?: number): never => {
      const outcome = last?.outcome;
      const lastResponse: LastResponse | undefined =
        outcome?.status !== undefined && outcome.bodyText !== undefined && outcome.headers
          ? { status: outcome.status, headers: outcome.headers, bodyText: outcome.bodyText }
          : undefined;
      const classification = outcome?.classification;
      const error = new AttemptsExhaustedError({
        reason, attempts, lastResponse, lastError: outcome?.error, retryAfterMs,
        retryable: reason !== 'aborted' && reason !== 'not_retryable' && (classification ? classification.retrySame || classification.failover : true),
      });
      settle(false, last?.candidate.name, error.code);
      throw error;
    };

    try {
      const deposited = store.depositRequest(startedAt, options.retryBudget);
      if (isPromiseLike(deposited)) await deposited;
      for (;;) {
        if (deadline.signal.aborted) giveUp(request.signal?.aborted ? 'aborted' : 'deadline');
        if (attempts.length >= options.maxAttempts) giveUp('exhausted');
        const now = clock.now();
        const read = readStates(serving);
        const states = isPromiseLike(read) ? await read : read;
        const pool: Candidate[] = [];
        serving.forEach((candidate, index) => {
          if (sameOnly !== undefined && candidate.name !== sameOnly) return;
          if (tried.has(candidate.name) && (retryAt.get(candidate.name) ?? Number.POSITIVE_INFINITY) > now) return;
          if (isAvailable(states[index]!, model, now, options.breaker)) pool.push(candidate);
        });
        const chosen = selectEndpoint(pool, { strategy: options.selection, state: selection, now, random, latency: options.latency });

        if (!chosen) {
          // Nothing can take the request now. Before any attempt, fail fast; after one, wait only when an
          // endpoint frees up soon enough (never while another could take it: the pool was empty).
          let wakeAt = Number.POSITIVE_INFINITY;
          serving.forEach((candidate, index) => {
            if (sameOnly !== undefined && candidate.name !== sameOnly) return;
            if (tried.has(candidate.name) && !retryAt.has(candidate.name)) return;
            const state = states[index]!;
            if (state.disabledUntil > now) return;
            // Never wait for a breaker to reopen: an open breaker says the endpoint is failing, and a request that
            // sleeps through its open time (5 s, then 10, then 20) holds its caller for nothing. Waits are for a
            // server's delay or a backoff; the caller learns when the breaker reopens from `retryAfterMs`.
            if (state.breaker.position === 'open' && state.breaker.openUntil > now) return;
            const at = Math.max(admissibleFrom(state, model, now, options.breaker), retryAt.get(candidate.name) ?? 0, now + 1);
            wakeAt = Math.min(wakeAt, at);
          });
          let earliest = Number.POSITIVE_INFINITY;
          for (const state of states) earliest = Math.min(earliest, Math.max(admissibleFrom(state, model, now, options.breaker), now + 1));
          const freeInMs = Number.isFinite(earliest) ? earliest - now : undefined;
          if (attempts.length === 0) {
            const error = new NoEndpointAvailableError({ retryAfterMs: freeInMs, model });
            settle(false, undefined, error.code);
            throw error;
          }
          if (!Number.isFinite(wakeAt)) giveUp('exhausted', freeInMs);
          const waitMs = wakeAt - now;
          if (waitMs > options.maxServerDelayMs) giveUp('exhausted', waitMs);
          if (wakeAt >= deadline.at) giveUp('deadline', waitMs);
          waited = true;
          emit(() => ({ type: 'retry-wait', endpoint: last?.candidate.name, delayMs: waitMs, reason: last?.outcome.classification.reason ?? '', at: now }));
          try {
            await sleep(waitMs, deadline.signal);
          } catch {
            // Aborted: the loop's first check says whether by the caller or the deadline.
          }
          continue;
        }

        const before = states[serving.indexOf(chosen)]!.breaker.position;
        const admitted = store.admit(chosen.name, now, options.breaker);
        const admission = isPromiseLike(admitted) ? await admitted : admitted;
        if (admission.state.position !== before) {
          emit(() => ({ type: 'breaker-change', endpoint: chosen.name, from: before, to: admission.state.position, openUntil: admission.state.openUntil, at: now }));
        }
        if (!admission.admitted) {
          // Another request took the half-open probe slot between our read and our admit.
          tried.add(chosen.name);
          retryAt.delete(chosen.name);
          continue;
        }

        // From here the attempt holds a probe slot (when it is a probe), then a pending count, then possibly a live
        // stream. Whatever throws (a store, a request that cannot be built, a listener-free bug), all three are
        // handed back before the error leaves.
        const held = { probe: admission.probe, pending: false, stream: undefined as AttemptSuccess | undefined };
        try {
          if (last) {
            // A retry after a wait, on the same endpoint, or a failover after server distress draws on the retry
            // budget; moving on at once after a 429 or a quota error does not: that endpoint did no work and gets no
            // load. Spent only once an attempt is certain to follow.
            const samePlace = chosen.name === last.candidate.name;
            if (waited || samePlace || last.outcome.classification.breaker === 'failure') {
              const spent = store.spendRetry(now, options.retryBudget);
              if (!(isPromiseLike(spent) ? await spent : spent)) giveUp('budget');
            }
            if (!samePlace) {
              emit(() => ({ type: 'failover', from: last!.candidate.name, to: chosen.name, reason: last!.outcome.classification.reason, at: now }));
            }
          }
          waited = false;

          const attemptNumber = attempts.length + 1;
          emit(() => ({ type: 'attempt-start', endpoint: chosen.name, attempt: attemptNumber, model, at: now }));
          const attemptRequest = buildAttemptRequest(chosen.endpoint, prepared, chosen.upstreamModel, bodyCache);
          trackPending(selection.latency, chosen.name, 1, now, options.latency);
          held.pending = true;
          const outcome = await runAttempt({
            transport,
            request: attemptRequest,
            clock,
            requestSignal: deadline.signal,
            callerSignal: request.signal,
            attemptTimeoutMs: options.attemptTimeoutMs,
            firstByteTimeoutMs: prepared.stream ? options.firstByteTimeoutMs : undefined,
            bodyIdleTimeoutMs: options.bodyIdleTimeoutMs,
            maxResponseBytes: options.maxResponseBytes,
            describeTransportError,
            provider: chosen.endpoint.provider,
            jsonRoute: prepared.jsonRoute,
            choices: prepared.choices,
          });
          if (outcome.ok && outcome.stream) held.stream = outcome;
          const endedAt = clock.now();
          const classification = outcome.classification;
          const pricedModel = chosen.upstreamModel ?? model;
          if (!held.stream) {
            trackPending(selection.latency, chosen.name, -1, endedAt, options.latency);
            held.pending = false;
          }
          const applied = applyOutcome(
            chosen.name, classification,
            { generation: admission.generation, probe: admission.probe, position: admission.state.position },
            { now: endedAt, model, rttMs: outcome.ok ? outcome.firstByteMs : endedAt - now },
          );
          if (applied) await applied;
          held.probe = false;

          let costUsd: number | undefined;
          if (outcome.ok && outcome.usage && pricedModel) {
            costUsd = prices.costOf(pricedModel, outcome.usage);
            const usage = outcome.usage;
            emit(() => ({ type: 'cost-record', endpoint: chosen.name, model: pricedModel, usage, costUsd, outcome: 'success', estimated: false, at: endedAt }));
          } else if (!outcome.ok) {
            const billed = costOfFailure(prepared, pricedModel, outcome);
            if (billed && pricedModel) {
              costUsd = billed.costUsd;
              emit(() => ({ type: 'cost-record', endpoint: chosen.name, model: pricedModel, usage: billed.usage, costUsd: billed.costUsd, outcome: 'failed', estimated: true, at: endedAt }));
            }
          }
          attempts.push({
            endpoint: chosen.name, attempt: attemptNumber, startedAt: now, durationMs: endedAt - now, status: outcome.status,
            kind: classification.kind, reason: classification.reason, serverDelayMs: classification.delayMs, costUsd,
          });
          emit(() => ({
            type: 'attempt-end', endpoint: chosen.name, attempt: attemptNumber, model, kind: classification.kind,
            status: outcome.status, durationMs: endedAt - now, reason: classification.reason, at: endedAt,
          }));

          if (outcome.ok) {
            const result = served(outcome, chosen, costUsd);
            // The stream now belongs to its guard, which releases it however it ends.
            held.pending = false;
            held.stream = undefined;
            return result;
          }
          last = { candidate: chosen, outcome };
        } catch (error) {
          await releaseHeld(chosen.name, admission.generation, held);
          throw error;
        }

        const { classification } = last.outcome;
        if (classification.kind === 'aborted') giveUp('aborted');
        if (!classification.retrySame && !classification.failover) giveUp('not_retryable');
        tried.add(chosen.name);
        retryAt.delete(chosen.name);
        if (!classification.failover) sameOnly = chosen.name;
        if (classification.retrySame) {
          let delayMs: number | undefined;
          if (classification.delayMs !== undefined) {
            // Past the cap, waiting here is worse than the cooldown already set: fail over instead.
            delayMs = classification.delayMs <= options.maxServerDelayMs ? jitterServerDelay(classification.delayMs, random, 0.1) : undefined;
          } else {
            [delayMs, backoff] = nextBackoff(backoff, options.backoff, random);
          }
          if (delayMs !== undefined) retryAt.set(chosen.name, clock.now() + delayMs);
        }
      }
    } catch (error) {
      // Errors the loop raised itself have settled already; anything else (a store or listener failing) ends the
      // request here, through the same door.
      settle(false, last?.candidate.name, DetourError.isInstance(error) ? error.code : 'internal_error');
      throw error;
    }

    /** Hands back what a failed attempt still holds: its probe slot, its pending count, an unreturned stream. */
    async function releaseHeld(endpoint: string, generation: number, held: { probe: boolean; pending: boolean; stream: AttemptSuccess | undefined }) {
      const now = clock.now();
      if (held.stream) {
        held.stream.abort(new Error('the request failed before the stream was handed out'));
        held.stream.response.cancel();
        held.stream.release();
      }
      if (held.pending) trackPending(selection.latency, endpoint, -1, now, options.latency);
      if (held.probe) {
        try {
          await store.recordResult(endpoint, { outcome: 'neutral', generation, probe: true, now }, options.breaker);
        } catch {
          // The store is failing: the probe slot frees itself after `breaker.probeTimeoutMs`.
        }
      }
    }

    function served(outcome: AttemptSuccess, chosen: Candidate, costUsd: number | undefined): RouteResult {
      const base = {
        status: outcome.status, headers: outcome.headers, endpoint: chosen.name, model, upstreamModel: chosen.upstreamModel,
        attempts, usage: outcome.usage, costUsd,
      };
      if (!outcome.stream) {
        settle(true, chosen.name, undefined, outcome.firstByteMs);
        return { ...base, body: outcome.body, stream: undefined, cancel: () => undefined };
      }
      // Under `streamDeadline: 'first-byte'` the deadline has done its job once the stream commits: a long answer
      // that keeps moving is bounded by the idle timeout, not cut at ten minutes. Its signal still follows the caller.
      if (options.streamDeadline === 'first-byte') deadline.disarm();
      const { head, iterator, watcher } = outcome.stream;
      const stream = guardStream({
        endpoint: chosen.name, head, iterator, watcher,
        filter: prepared.stripUsage ? createUsageChunkFilter() : undefined,
        clock,
        idleTimeoutMs: options.streamIdleTimeoutMs,
        signal: deadline.signal,
        callerSignal: request.signal,
        cancel: (reason) => {
          outcome.abort(reason);
          outcome.response.cancel(reason);
        },
        onSettle: (settlement) => settleStream(settlement, outcome, chosen),
      });
      return { ...base, body: undefined, stream, cancel: (reason) => void stream.return?.(reason) };
    }

    /** A committed stream's ending: release its attempt, price it, judge the endpoint, then the one request-end. */
    function settleStream(settlement: StreamSettlement, outcome: AttemptSuccess, chosen: Candidate) {
      const now = clock.now();
      outcome.release();
      trackPending(selection.latency, chosen.name, -1, now, options.latency);
      const pricedModel = chosen.upstreamModel ?? model;
      const usage = settlement.watcher.usage;
      // Without reported usage (the provider ignored stream_options, or nobody asked) the cost is estimated.
      if (pricedModel) {
        const billed: Usage = usage ?? { inputTokens: Math.ceil(prepared.bodyBytes / 4), cachedInputTokens: 0, outputTokens: settlement.watcher.events };
        emit(() => ({
          type: 'cost-record', endpoint: chosen.name, model: pricedModel, usage: billed, costUsd: prices.costOf(pricedModel, billed),
          outcome: costOutcomes[settlement.outcome], estimated: usage === undefined, at: now,
        }));
      }
      // A stream cut or stalled mid-way is the endpoint's failure even though it started well; the deadline and a
      // caller who left are not. Counted in whatever closed generation the breaker is in now.
      if (settlement.cause === 'upstream' || settlement.cause === 'stalled') countStreamFailure(chosen.name, now);
      settle(settlement.outcome === 'complete', chosen.name, endCode(settlement), outcome.firstByteMs);
    }
  };

  /** Counts a broken stream against its endpoint's breaker (a probe that committed may have closed it since). */
  const countStreamFailure = (endpoint: string, now: number) => {
    const report = (breaker: BreakerState) => {
      if (breaker.position !== 'closed') {
        emit(() => ({ type: 'breaker-change', endpoint, from: 'closed', to: breaker.position, openUntil: breaker.openUntil, at: now }));
      }
    };
    const count = (state: EndpointState): MaybePromise<void> => {
      if (state.breaker.position !== 'closed') return;
      const recorded = store.recordResult(endpoint, { outcome: 'failure', generation: state.breaker.generation, probe: false, now }, options.breaker);
      return isPromiseLike(recorded) ? recorded.then(report) : report(recorded);
    };
    // A failing store must not break the ending of the caller's stream (this may run in a timer): the sample is lost.
    try {
      const current = store.read(endpoint);
      const counted = isPromiseLike(current) ? current.then(count) : count(current);
      if (isPromiseLike(counted)) counted.then(undefined, () => undefined);
    } catch {
      // As above.
    }
  };

  return {
    options,
    send,
    subscribe: (listener) => events.subscribe(listener),
    async health() {
      const now = clock.now();
      const all = servingEndpoints(undefined);
      const states = await readStates(all);
      return all.map((candidate, index) => {
        const state = states[index]!;
        return {
          name: candidate.name, priority: candidate.priority, weight: candidate.weight,
          breaker: state.breaker.position === 'open' && state.breaker.openUntil <= now ? 'half_open' : state.breaker.position,
          breakerOpenUntil: state.breaker.openUntil, cooldownUntil: state.cooldownUntil, modelCooldowns: liveModelCooldowns(state.modelCooldowns, now),
          // Scrubbed again on the way out: a shared store may hold a reason written by an older instance.
          disabledUntil: state.disabledUntil, reason: state.reason === undefined ? undefined : scrub(state.reason), available: isAvailable(state, undefined, now, options.breaker),
          pending: selection.latency.get(candidate.name)?.pending ?? 0,
        };
      });
    },
  };
};
