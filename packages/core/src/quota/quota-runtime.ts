import type { RouterOptions } from '../options/router-options-schema';
import type { Clock } from '../ports/clock';
import { isPromiseLike } from '../ports/maybe-promise';
import type { QuotaCursor, QuotaShare, StateStore } from '../ports/state-store';
import type { ReserveStep } from './priority-reserve';
import { createAdmissionQueue, type AdmissionQueue } from './admission-queue';
import { createQuotaTracker, type ConfiguredLimits, type QuotaCost, type QuotaForecast, type QuotaReservation, type QuotaTracker } from './quota-tracker';

/** A reservation the queue made for a waiter on the endpoint it fits: the waiter's next attempt goes there. */
export interface QuotaHold {
  readonly endpoint: string;
  readonly reservation: QuotaReservation;
}

/** An endpoint a waiter holds in the queue: what it waits to take there, and how long until it fits. */
export interface QuotaClaim {
  readonly endpoint: string;
  readonly model: string | undefined;
  readonly cost: QuotaCost;
  readonly waitMs: number;
  /** What it leaves for higher classes while it waits. */
  readonly reserve: readonly ReserveStep[];
}

/** A router's admission control: its quota model, its queue, and the input estimate's calibration. */
export interface QuotaRuntime {
  readonly tracker: QuotaTracker;
  readonly queue: AdmissionQueue<QuotaHold, QuotaForecast, QuotaClaim>;
  /** Reported ÷ estimated prompt tokens, smoothed: scales the next estimates. Starts at 1. */
  inputRatio: number;
  /** Smoothed duration of admitted attempts that were served, and its mean deviation (0 until one is). */
  served: { meanMs: number; deviationMs: number };
  /**
   * Shares this instance's quota news with the fleet through the store, at most every `admission.fleetSyncMs` and
   * never awaited: called from the request path, it costs a clock comparison unless a sync is due.
   */
  sync(now: number): void;
  /**
   * Sends the fleet this instance's unreported quota news now, whatever `admission.fleetSyncMs` says, after any
   * exchange already under way; resolves when the store has answered, failed, or taken {@link flushBoundMs}.
   */
  flush(): Promise<void>;
}

/** The longest {@link QuotaRuntime.flush} waits for a store's answer: a store that hangs must not hold a close. */
export const flushBoundMs = 1000;

/**
 * Creates a router's admission control, or undefined when `admission.enabled` is false. `store`: the store the
 * router was given, through which it shares quota with the fleet; none (the router's own memory store) shares
 * nothing, and then the model keeps no report.
 */
export const createQuotaRuntime = (options: RouterOptions, clock: Clock, store: StateStore | undefined): QuotaRuntime | undefined => {
  if (!options.admission.enabled) return undefined;
  const limits = new Map<string, ConfiguredLimits>();
  const providers = new Map<string, string | undefined>();
  for (const endpoint of options.endpoints) {
    if (endpoint.limits) limits.set(endpoint.name, endpoint.limits);
    providers.set(endpoint.name, endpoint.provider);
  }
  const exchange = store?.exchangeQuota?.bind(store);
  // At least 8 pairs an endpoint: a pool of 600 keys serving 2 models each outgrew 1,024, and admission forgot each
  // pair's reading before it was read again, so every request went to keys it knew were spent (1,199 upstream 429s).
  const maxKeys = Math.max(options.admission.maxModels, 8 * options.endpoints.length);
  const tracker = createQuotaTracker({ limits, providers, maxKeys, reports: exchange !== undefined });
  const queue = createAdmissionQueue<QuotaHold, QuotaForecast, QuotaClaim>({ clock, maxLength: options.admission.maxQueueLength, forecast: () => tracker.forecast() });
  // Quota coming back (a settle, a refund, a fresh reading) is when waiters may fit.
  tracker.onRelease(() => queue.pump());
  const { fleetSyncMs } = options.admission;
  let lastSync = Number.NEGATIVE_INFINITY;
  let syncing = false;
  let trailing: unknown;
  let remote = false;
  // The exchange under way with a store that answers later, for a flush to wait on.
  let exchanging: Promise<void> | undefined;
  // This router's place in the store's quota picture: a store may answer with only what changed since.
  const cursor: QuotaCursor = {};
  // With a remote store, news that arrives between exchanges goes out on one trailing timer, so an instance that
  // falls idle still reports its last spend within `fleetSyncMs`; no timer exists while there is nothing to report.
  // A store that answers at once (memory: routers in one isolate) gets the news on the next request instead.
  const trail = (now: number) => {
    if (!remote || trailing !== undefined || !tracker.hasNews) return;
    trailing = clock.schedule(() => {
      trailing = undefined;
      sync(clock.now());
    }, Math.max(1, lastSync + fleetSyncMs - now));
  };
  const sync = (now: number): void => {
    if (!exchange) return;
    if (syncing || now - lastSync < fleetSyncMs) return trail(now);
    lastSync = now;
    const report = tracker.drainReport();
    const adopt = (answer: readonly QuotaShare[]) => tracker.adoptFleet(answer, report, clock.now());
    try {
      const answer = exchange(report, now, cursor);
      if (!isPromiseLike(answer)) return adopt(answer);
      remote = true;
      syncing = true;
      // A failed exchange loses one report's spend for the fleet (not for this instance): the next one carries on.
      // An answer that cannot be adopted is dropped as a failed one is: neither reaches a request, or a close's flush.
      exchanging = answer.then(adopt).catch(() => undefined).finally(() => {
        syncing = false;
        exchanging = undefined;
        trail(clock.now());
      });
    } catch {
      // As above: a store error never reaches a request.
    }
  };
  const flushNow = async () => {
    if (exchanging) await exchanging;
    if (!tracker.hasNews) return;
    clock.cancel(trailing);
    trailing = undefined;
    lastSync = Number.NEGATIVE_INFINITY;
    sync(clock.now());
    if (exchanging) await exchanging;
  };
  // A restart that dropped the last `fleetSyncMs` of spend let the next process admit it again (attack 19, F3).
  const flush = (): Promise<void> => {
    if (!exchange) return Promise.resolve();
    let bound: unknown;
    const timeout = new Promise<void>((resolve) => {
      bound = clock.schedule(resolve, flushBoundMs, true);
    });
    return Promise.race([flushNow(), timeout]).finally(() => clock.cancel(bound));
  };
  return { tracker, queue, inputRatio: 1, served: { meanMs: 0, deviationMs: 0 }, sync, flush };
};

// Calibration moves slowly and within bounds: one odd request (an image counted as text) must not swing it.
const calibrationWeight = 0.05;
const minRatio = 0.25;
const maxRatio = 4;

/** Folds one request's reported prompt tokens into the calibration. */
export const calibrate = (runtime: QuotaRuntime, estimatedRaw: number, actual: number): void => {
  if (estimatedRaw <= 0 || actual <= 0) return;
  const ratio = Math.min(maxRatio, Math.max(minRatio, actual / estimatedRaw));
  runtime.inputRatio = Math.min(maxRatio, Math.max(minRatio, runtime.inputRatio * (1 - calibrationWeight) + ratio * calibrationWeight));
};

const servedWeight = 0.1;

/** Folds one served attempt's duration into {@link QuotaRuntime.served}. */
export const noteServed = (runtime: QuotaRuntime, durationMs: number): void => {
  if (!Number.isFinite(durationMs) || durationMs < 0) return;
  const { served } = runtime;
  if (served.meanMs === 0) {
    served.meanMs = durationMs;
    served.deviationMs = durationMs / 2;
    return;
  }
  served.deviationMs += servedWeight * (Math.abs(durationMs - served.meanMs) - served.deviationMs);
  served.meanMs += servedWeight * (durationMs - served.meanMs);
};

/**
 * How long before the deadline an admission must come for the attempt to finish in time: a served attempt's
 * smoothed duration plus three deviations (its high end), bounded by the deadline itself by the caller.
 */
export const servingAllowanceMs = (runtime: QuotaRuntime): number => runtime.served.meanMs + 3 * runtime.served.deviationMs;
