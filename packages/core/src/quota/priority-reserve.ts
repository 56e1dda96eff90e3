import type { Priority } from './request-priority';

/**
 * Quota a lower class must leave untouched for higher ones, as milliseconds of the bucket's refill: a normal
 * request is admitted only while a second of refill stays for high requests, a low one while two stay. Each
 * gateway of a fleet sees only its own queue, so a high request waiting at one gateway cannot stop another from
 * admitting a low one: the reserve is what keeps quota there for it without asking. A second covers the fleet's
 * exchange delay (`admission.fleetSyncMs`, 250 ms by default: the other gateways' spend not seen yet) plus a
 * large request's refill; the reserve is a level the bucket sits at, not a rate, so it costs goodput only once.
 */
export const priorityReserveMs: Readonly<Record<Priority, number>> = { high: 0, normal: 1000, low: 2000 };

/** A reserve never holds back more than this share of a bucket's capacity. */
export const maxReserveShare = 0.25;

/** From `from` on, a waiter leaves `reserveMs` of refill for higher classes. */
export interface ReserveStep {
  readonly from: number;
  readonly reserveMs: number;
}

/**
 * How much a request of `priority` must leave for higher classes over its wait: a low request its own reserve until
 * half of its window (`enqueuedAt` to `deadlineAt`), then a normal request's, so that it is not starved by normal
 * ones (they then take turns by the queue's weights). Nothing ages below a normal request's reserve: a class that
 * waived it in the end of its wait would, under overload, be planned to land there in numbers and take the refill
 * a large high request at another gateway is waiting for. Lower classes wait only while high requests alone want
 * the whole refill, which is what priority means. Steps in time order, reserves falling. Pure.
 */
export const reserveSteps = (priority: Priority, enqueuedAt: number, deadlineAt: number): ReserveStep[] => {
  const own = priorityReserveMs[priority];
  const steps: ReserveStep[] = [{ from: enqueuedAt, reserveMs: own }];
  const floor = Math.min(own, priorityReserveMs.normal);
  if (own > floor) steps.push({ from: enqueuedAt + Math.max(0, deadlineAt - enqueuedAt) / 2, reserveMs: floor });
  return steps;
};

/** The reserve in force at `at` (the first step's before it starts). Pure. */
export const reserveAt = (steps: readonly ReserveStep[], at: number): number => {
  let reserveMs = steps[0]?.reserveMs ?? 0;
  for (const step of steps) if (at >= step.from) reserveMs = step.reserveMs;
  return reserveMs;
};

/**
 * Whole units of a bucket refilling at `ratePerMs` a reserve of `reserveMs` keeps back, capped by
 * {@link maxReserveShare}: requests and tokens come whole, and a fraction of one would protect no one. Pure.
 */
export const reserveUnits = (ratePerMs: number, capacity: number, reserveMs: number): number =>
  reserveMs <= 0 || ratePerMs <= 0 ? 0 : Math.floor(Math.min(ratePerMs * reserveMs, capacity * maxReserveShare));
