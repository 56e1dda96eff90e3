import type { RequestState } from '../engine/request-state';
import type { RouterContext } from '../engine/router-context';
import type { AttemptOutcome } from '../engine/run-attempt';
import type { Candidate } from '../engine/serving-endpoints';
import { giveUp } from '../engine/give-up';
import { endWait, startWait } from '../engine/router-lifecycle';
import { streamedUsage } from '../engine/estimate-usage';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import type { Usage } from '../pricing/usage';
import { estimateCost } from './estimate-cost';
import type { QuotaCost, QuotaForecast, QuotaSpend } from './quota-tracker';
import type { AdmissionRefusal, NotYet } from './admission-queue';
import type { QuotaClaim } from './quota-runtime';
import { calibrate, noteServed, servingAllowanceMs, type QuotaHold, type QuotaRuntime } from './quota-runtime';
import { readQuotaHeaders } from './read-quota-headers';
import { priorityReserveMs, reserveAt, reserveSteps } from './priority-reserve';
import { readHeader } from '../signals/read-header';
import { parsePriority, priorityHeader, type Priority } from './request-priority';

/** What admission keeps for one request. */
export interface RequestQuota {
  readonly cost: QuotaCost;
  /** The prompt estimate before calibration, to learn from the reported usage. */
  readonly rawInputTokens: number;
  readonly priority: Priority;
  /** What the current attempt took from its endpoint's quota; settled when the attempt (or its stream) ends. */
  reservation: QuotaHold | undefined;
  /** What the queue reserved for the request before its next attempt. */
  hold: QuotaHold | undefined;
  /** When it first waited in the queue: a later refusal is news learned while it waited, not on arrival. */
  queuedAt: number | undefined;
}

/** The model key quota is kept under on an endpoint: the name the endpoint is sent, per-model limits being its. */
const modelOn = (candidate: Candidate, state: RequestState) => candidate.upstreamModel ?? state.model;

const requestQuota = (context: RouterContext, runtime: QuotaRuntime, state: RequestState): RequestQuota => {
  if (state.quota) return state.quota;
  const { prepared, request } = state;
  const raw = estimateCost(prepared.json, prepared.bodyBytes, prepared.path, { defaultOutputTokens: context.options.admission.defaultOutputTokens });
  const cost = { requests: raw.requests, inputTokens: Math.ceil(raw.inputTokens * runtime.inputRatio), outputTokens: raw.outputTokens };
  // Checked even when typed: a JavaScript caller can pass anything, and the queue's classes are a closed set.
  const priority =
    parsePriority(request.priority) ?? parsePriority(request.headers ? readHeader(request.headers, priorityHeader) : undefined) ?? context.options.admission.defaultPriority;
  state.quota = { cost, rawInputTokens: raw.inputTokens, priority, reservation: undefined, hold: undefined, queuedAt: undefined };
  return state.quota;
};

/** Settles a reservation once, reporting the estimate against the usage the provider reported. */
const settle = (context: RouterContext, runtime: QuotaRuntime, state: RequestState, held: QuotaHold, spend: QuotaSpend, reported?: Usage): void => {
  if (held.reservation.settled) return;
  const now = context.clock.now();
  runtime.tracker.settle(held.reservation, spend, now);
  runtime.sync(now);
  if (!reported || !state.quota) return;
  const { cost, rawInputTokens } = state.quota;
  calibrate(runtime, rawInputTokens, reported.inputTokens);
  context.emit(() => ({
    type: 'quota-estimate', endpoint: held.endpoint, model: held.reservation.model,
    estimatedInputTokens: cost.inputTokens, inputTokens: reported.inputTokens,
    estimatedTokens: cost.inputTokens + cost.outputTokens, tokens: reported.inputTokens + reported.outputTokens, at: now,
  }));
};

const releaseHold = (context: RouterContext, runtime: QuotaRuntime, state: RequestState) => {
  const hold = state.quota?.hold;
  if (!hold) return;
  state.quota!.hold = undefined;
  settle(context, runtime, state, hold, { reached: false });
};

/**
 * The part of the available pool that can admit the request now, each endpoint's weight scaled by the share of
 * quota it has left (so traffic thins out as headroom shrinks, with no cliff), and when none can, how long until
 * one might. A request the queue reserved for goes to that endpoint. While others wait in the queue, a newcomer
 * does not jump it. Everything passes when admission is off or nothing is known yet.
 */
export const admissiblePool = (context: RouterContext, state: RequestState, pool: Candidate[], now: number): { pool: Candidate[]; waitMs: number } => {
  const runtime = context.quota;
  if (!runtime || pool.length === 0) return { pool, waitMs: 0 };
  const quota = requestQuota(context, runtime, state);
  // The fleet's news first (when due): a store that answers at once (memory) is then current for this choice.
  runtime.sync(now);
  if (quota.hold) {
    const held = pool.find((candidate) => candidate.name === quota.hold!.endpoint);
    if (held) return { pool: [held], waitMs: 0 };
    releaseHold(context, runtime, state);
  }
  const { tracker, queue } = runtime;
  if (!tracker.active) return { pool, waitMs: 0 };
  const admitted: Candidate[] = [];
  let waitMs = Number.POSITIVE_INFINITY;
  // A lower class leaves a reserve for higher ones (which another gateway of the fleet may be queueing).
  const reserveMs = priorityReserveMs[quota.priority];
  for (const candidate of pool) {
    const model = modelOn(candidate, state);
    const headroom = tracker.headroomNow(candidate.name, model, quota.cost, now, reserveMs);
    if (headroom === undefined) {
      // The least it could wait (its reserve ages away in the queue): the queue's plan says how long it will.
      waitMs = Math.min(waitMs, tracker.waitMs(candidate.name, model, quota.cost, now));
      continue;
    }
    waitMs = 0;
    // A floor keeps an endpoint that has just enough for this request in play, if rarely chosen.
    admitted.push(headroom >= 1 ? candidate : reweighted(candidate, candidate.weight * Math.max(headroom, 0.02)));
  }
  if (queue.length > 0) return { pool: [], waitMs };
  return { pool: admitted, waitMs };
};

/**
 * A candidate with another weight, built as a literal in `serving-endpoints.ts`'s field order: a spread that
 * overrides a field costs several times as much and gives each copy a hidden class of its own, which turns every
 * later read of a candidate megamorphic (as the breaker's states did, `breakerWith`).
 */
const reweighted = (candidate: Candidate, weight: number): Candidate => ({
  endpoint: candidate.endpoint, name: candidate.name, priority: candidate.priority, weight, upstreamModel: candidate.upstreamModel,
});

/** The request's own candidate for a pick that may be a reweighted copy. */
export const originalCandidate = (state: RequestState, picked: Candidate): Candidate =>
  state.serving.find((candidate) => candidate.name === picked.name) ?? picked;

/**
 * No endpoint can admit the request now, though some are available: wait in the admission queue when the queue's
 * plan (the work waiting ahead of it, in grant order, on a what-if copy of the quota model) admits it within
 * `admission.maxQueueMs` and early enough before the deadline for the attempt itself to finish, else refuse fast
 * with a `retryAfterMs` saying when it would have been admitted. A waiter whose prospects worsen (a higher class
 * arrived, the fleet spent quota) is refused as soon as the queue's plan says so, not at its deadline. Resolves
 * when the queue reserved quota for the request (the loop then chooses that endpoint) or the caller left (the
 * loop's abort check ends it); throws on a refusal.
 */
export const queueForQuota = async (context: RouterContext, state: RequestState, pool: Candidate[], waitMs: number, now: number): Promise<void> => {
  const runtime = context.quota!;
  const quota = requestQuota(context, runtime, state);
  const { maxQueueMs } = context.options.admission;
  const refuse = (reason: AdmissionRefusal, retryAfterMs: number | undefined): never => {
    // A request back from the queue (its hold's endpoint began cooling, its attempt failed) learned it now.
    const why = quota.queuedAt !== undefined && reason !== 'never' && reason !== 'timeout' ? 'hopeless' : reason;
    context.emit(() => ({ type: 'admission-refuse', priority: quota.priority, reason: why, retryAfterMs, at: context.clock.now() }));
    if (state.attempts.length === 0) throw new NoEndpointAvailableError({ retryAfterMs, model: state.model });
    return giveUp(state, 'exhausted', retryAfterMs);
  };
  if (!Number.isFinite(waitMs)) refuse('never', undefined);
  if (waitMs > maxQueueMs) refuse('wait_too_long', waitMs);
  // A grant is of use only while the attempt it starts can still finish before the deadline.
  const lastUseful = state.deadline.at - servingAllowanceMs(runtime);
  if (now + waitMs > lastUseful) refuse('deadline', waitMs);
  const candidates = [...pool];
  const targets = candidates.map((candidate) => ({ endpoint: candidate.name, model: modelOn(candidate, state) }));
  const deadlineAt = Math.min(lastUseful, now + maxQueueMs);
  // What it leaves for higher classes while it waits, falling as it ages so that it is not starved.
  const reserve = reserveSteps(quota.priority, now, deadlineAt);
  /** Whether taking this request's cost on a held endpoint now leaves its holder's planned admission where it was. */
  const spares = (claim: QuotaClaim, model: string | undefined, at: number) => {
    const forecast = runtime.tracker.forecast();
    forecast.admit([{ endpoint: claim.endpoint, model }], quota.cost, at, reserve);
    return forecast.admit([{ endpoint: claim.endpoint, model: claim.model }], claim.cost, at, claim.reserve) <= at + claim.waitMs;
  };
  const tryGrant = (at: number, claimed: ReadonlyMap<string, QuotaClaim>): { granted: QuotaHold } | NotYet<QuotaClaim> => {
    let best: Candidate | undefined;
    let bestHeadroom = -1;
    let claim: QuotaClaim | undefined;
    const reserveMs = reserveAt(reserve, at);
    // When its reserve next falls: it may fit then, so the queue looks again no later.
    const nextStep = reserve.find((step) => step.from > at);
    for (const candidate of candidates) {
      const model = modelOn(candidate, state);
      const wait = runtime.tracker.waitMs(candidate.name, model, quota.cost, at, reserveMs);
      const holder = claimed.get(candidate.name);
      if (wait > 0) {
        // Held for an entry ahead: its holder's timer covers when it frees.
        if (!holder && (claim === undefined || wait < claim.waitMs)) claim = { endpoint: candidate.name, model, cost: quota.cost, waitMs: wait, reserve };
        continue;
      }
      // Backfilling: quota a holder ahead is waiting for is not ours, what it does not need is.
      if (holder && !spares(holder, model, at)) continue;
      const headroom = runtime.tracker.headroom(candidate.name, model, quota.cost, at);
      if (headroom > bestHeadroom) [best, bestHeadroom] = [candidate, headroom];
    }
    if (!best) return { waitMs: Math.min(claim?.waitMs ?? Number.POSITIVE_INFINITY, nextStep === undefined ? Number.POSITIVE_INFINITY : nextStep.from - at), claim };
    return { granted: { endpoint: best.name, reservation: runtime.tracker.reserve(best.name, modelOn(best, state), quota.cost, at) } };
  };
  const entry = {
    priority: quota.priority,
    enqueuedAt: now,
    deadlineAt,
    tryGrant,
    plan: (forecast: QuotaForecast, at: number) => forecast.admit(targets, quota.cost, at, reserve),
  };
  // The queue's wait ends with the request's signal, or at once if the router is shut down meanwhile.
  const wait = startWait(context.lifecycle, state.deadline.signal);
  const waiting = runtime.queue.wait(entry, wait);
  if (!(waiting instanceof Promise)) endWait(context.lifecycle, wait);
  if (!waiting) refuse('queue_full', waitMs);
  const retryAfter = (admitAt: number | undefined, at: number) => (admitAt !== undefined && Number.isFinite(admitAt) ? Math.max(1, Math.ceil(admitAt - at)) : undefined);
  if (!(waiting instanceof Promise)) {
    // Hopeless on arrival: the work ahead of it takes its quota past the deadline (or maxQueueMs).
    const admitAt = waiting!.admitAt;
    if (admitAt === undefined || !Number.isFinite(admitAt)) refuse('never', undefined);
    return refuse(admitAt! > now + maxQueueMs ? 'wait_too_long' : 'deadline', retryAfter(admitAt, now));
  }
  quota.queuedAt ??= now;
  context.emit(() => ({ type: 'admission-queue', priority: quota.priority, expectedWaitMs: waitMs, depth: runtime.queue.length, at: now }));
  const { exit, granted, admitAt } = await waiting.finally(() => endWait(context.lifecycle, wait));
  const end = context.clock.now();
  context.emit(() => ({ type: 'admission-dequeue', priority: quota.priority, exit, waitedMs: end - now, endpoint: granted?.endpoint, at: end }));
  if (granted) quota.hold = granted;
  if (exit === 'hopeless') refuse(retryAfter(admitAt, end) === undefined ? 'never' : 'hopeless', retryAfter(admitAt, end));
  if (exit === 'timeout') {
    const answer = tryGrant(end, new Map());
    refuse('timeout', 'waitMs' in answer && Number.isFinite(answer.waitMs) ? answer.waitMs : undefined);
  }
};

/** Takes the admitted attempt's cost from its endpoint (or adopts what the queue reserved there). */
export const reserveQuota = (context: RouterContext, state: RequestState, now: number): void => {
  const runtime = context.quota;
  if (!runtime) return;
  const quota = requestQuota(context, runtime, state);
  const chosen = state.chosen!;
  if (quota.hold?.endpoint === chosen.name) {
    quota.reservation = quota.hold;
    quota.hold = undefined;
    return;
  }
  releaseHold(context, runtime, state);
  quota.reservation = { endpoint: chosen.name, reservation: runtime.tracker.reserve(chosen.name, modelOn(chosen, state), quota.cost, now) };
  runtime.sync(now);
};

/**
 * Learns from an attempt's answer: reads its quota headers (every error answer's, a success's when due: see
 * `readingDue`), then settles its reservation with
 * what it spent, unless it is a stream that committed (settled by {@link settleQuotaStream} when it ends).
 */
export const settleQuotaAttempt = (context: RouterContext, state: RequestState, outcome: AttemptOutcome): void => {
  const runtime = context.quota;
  const held = state.quota?.reservation;
  if (!runtime || !held) return;
  const now = context.clock.now();
  const chosen = state.chosen!;
  const model = modelOn(chosen, state);
  if (outcome.headers && (!outcome.ok || runtime.tracker.readingDue(chosen.name, model, now))) {
    const lowerCase = outcome.ok && outcome.response.headersLowerCase === true;
    // A 429's figures are believed as they are; another answer's reset may be doubted (`QuotaTracker.observe`).
    runtime.tracker.observe(chosen.name, model, readQuotaHeaders(outcome.headers, now, lowerCase), now, held.reservation, !outcome.ok && outcome.status === 429);
  }
  // How long a served attempt takes: the queue stops granting that long before a deadline.
  if (outcome.ok) noteServed(runtime, now - state.attemptStartedAt);
  if (outcome.ok && outcome.stream) return;
  state.quota!.reservation = undefined;
  if (outcome.ok) {
    const usage = outcome.usage;
    settle(context, runtime, state, held, { reached: true, inputTokens: usage?.inputTokens, outputTokens: usage?.outputTokens }, usage);
    return;
  }
  // An answer (even an error), a timeout or the caller leaving mid-attempt means the provider may have counted the
  // request; tokens only when it started to bill. A connection that failed before any answer gives everything back.
  const { kind } = outcome.classification;
  const reached = outcome.status !== undefined || kind === 'timeout' || kind === 'aborted';
  const billed = outcome.billed ? streamedUsage(state, outcome.eventsSeen, outcome.usage, outcome.usageComplete) : undefined;
  settle(context, runtime, state, held, { reached, inputTokens: billed?.inputTokens ?? 0, outputTokens: billed?.outputTokens ?? 0 });
};

/** Settles a committed stream's reservation when it ends, however it ends, with its reported or estimated usage. */
export const settleQuotaStream = (context: RouterContext, state: RequestState, usage: Usage, reported: boolean): void => {
  const runtime = context.quota;
  const held = state.quota?.reservation;
  if (!runtime || !held) return;
  state.quota!.reservation = undefined;
  settle(context, runtime, state, held, { reached: true, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens }, reported ? usage : undefined);
};

/**
 * Hands back what the request still holds when it fails outside an attempt's outcome (a store error, the retry
 * budget, an abort while a queue grant was on its way). `sent`: the current attempt reached the transport.
 */
export const releaseQuota = (context: RouterContext, state: RequestState, sent: boolean): void => {
  const runtime = context.quota;
  if (!runtime || !state.quota) return;
  releaseHold(context, runtime, state);
  const held = state.quota.reservation;
  if (!held) return;
  state.quota.reservation = undefined;
  settle(context, runtime, state, held, sent ? { reached: true, inputTokens: 0, outputTokens: 0 } : { reached: false });
};

/**
 * A request that waited in the admission queue is refused because every endpoint it could use is now cooling or
 * open (its hold was on one of them): reported as admission dismissing it the moment that was known.
 */
export const noteRefusedAfterQueue = (context: RouterContext, state: RequestState, retryAfterMs: number | undefined): void => {
  const quota = state.quota;
  if (!context.quota || quota?.queuedAt === undefined) return;
  context.emit(() => ({ type: 'admission-refuse', priority: quota.priority, reason: 'hopeless', retryAfterMs, at: context.clock.now() }));
};

/** The admission queue's depth per class, for health views; undefined when admission is off. */
export const admissionDepth = (
  runtime: QuotaRuntime | undefined,
): { total: number; high: number; normal: number; low: number; reserved: number } | undefined =>
  runtime ? { total: runtime.queue.length, ...runtime.queue.depth(), reserved: runtime.tracker.outstanding } : undefined;
