import type { RouterOptions } from '../options/router-options-schema';
import type { Clock } from '../ports/clock';
import { createAdmissionQueue, type AdmissionQueue } from './admission-queue';
import { createQuotaTracker, type ConfiguredLimits, type QuotaReservation, type QuotaTracker } from './quota-tracker';

/** A reservation the queue made for a waiter on the endpoint it fits: the waiter's next attempt goes there. */
export interface QuotaHold {
  readonly endpoint: string;
  readonly reservation: QuotaReservation;
}

/** A router's admission control: its quota model, its queue, and the input estimate's calibration. */
export interface QuotaRuntime {
  readonly tracker: QuotaTracker;
  readonly queue: AdmissionQueue<QuotaHold>;
  /** Reported ÷ estimated prompt tokens, smoothed: scales the next estimates. Starts at 1. */
  inputRatio: number;
}

/** Creates a router's admission control, or undefined when `admission.enabled` is false. */
export const createQuotaRuntime = (options: RouterOptions, clock: Clock): QuotaRuntime | undefined => {
  if (!options.admission.enabled) return undefined;
  const limits = new Map<string, ConfiguredLimits>();
  const providers = new Map<string, string | undefined>();
  for (const endpoint of options.endpoints) {
    if (endpoint.limits) limits.set(endpoint.name, endpoint.limits);
    providers.set(endpoint.name, endpoint.provider);
  }
  const tracker = createQuotaTracker({ limits, providers, maxKeys: options.admission.maxModels });
  const queue = createAdmissionQueue<QuotaHold>({ clock, maxLength: options.admission.maxQueueLength });
  // Quota coming back (a settle, a refund, a fresh reading) is when waiters may fit.
  tracker.onRelease(() => queue.pump());
  return { tracker, queue, inputRatio: 1 };
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
