import type { BreakerPosition, BreakerState } from '../breaker/breaker';
import type { Classification } from '../classification/classification';
import { decideCooldown } from '../cooldown/cooldown';
import { acceptedBy, endRecheck, type RecheckClaim } from '../cooldown/rechecks';
import { anyStreak, endRefusals, noteRefusal, refusalsBefore, streakOf } from '../cooldown/refusal-streaks';
import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import type { ProviderSignals } from '../signals/read-provider-signals';
import { recordLatency } from '../selection/peak-ewma';
import { reportBreakerChange } from './report-breaker-change';
import type { RouterContext } from './router-context';

/**
 * What applying an outcome touches: the shared store, this instance's latency view, and the event stream. `scrub`
 * removes upstream credentials from reasons before they reach the store, events and health views.
 */
export type OutcomeContext = Pick<RouterContext, 'store' | 'options' | 'selection' | 'random' | 'emit' | 'scrub' | 'breakerReports' | 'refusalStreaks' | 'rechecks'> &
  Partial<Pick<RouterContext, 'quota' | 'credentials'>>;

/** One attempt's verdict, with the breaker admission it ran under. */
export interface AttemptOutcomeFacts {
  readonly endpoint: string;
  readonly classification: Classification;
  readonly admission: { readonly generation: number; readonly probe: boolean; readonly position: BreakerPosition; readonly lease?: string | undefined };
  readonly now: number;
  readonly model: string | undefined;
  readonly rttMs: number;
  /** When the attempt started: an answer to one sent before a refusal says nothing of it (`endRefusals`). */
  readonly startedAt: number;
  /** The route it was sent to: only an answer on a route the provider bills shows a balance can pay (`acceptedBy`). */
  readonly route: string;
  /** The recheck the attempt held (`rechecks.ts`), ended by its answer. */
  readonly recheck: RecheckClaim | undefined;
}

/** Every exhausted dimension says its limit, which the quota model needs to refill it. */
const exhaustedWithLimits = (signals: ProviderSignals): boolean => signals.exhausted.every((name) => signals.dimensions[name]?.limit !== undefined);

/**
 * Updates an endpoint after an attempt: the breaker sample, the latency estimate, and any cooldown or disable the
 * outcome calls for (including a success that used the last of a limit). Synchronous with a synchronous store, so
 * the hot path awaits nothing; with an asynchronous one it returns a promise for the writes.
 */
export const applyAttemptOutcome = (
  context: OutcomeContext,
  { endpoint, classification, admission, now, model, rttMs, startedAt, route, recheck }: AttemptOutcomeFacts,
): MaybePromise<void> => {
  const { store, options, selection, random, emit, scrub, quota, credentials, refusalStreaks, rechecks } = context;
  const failed = classification.breaker === 'failure';
  const pending: Promise<unknown>[] = [];
  const recorded = store.recordResult(
    endpoint,
    {
      outcome: classification.breaker, generation: admission.generation, probe: admission.probe, now,
      serverDelayMs: failed ? classification.delayMs : undefined, lease: admission.lease,
    },
    options.breaker,
  );
  const reportBreaker = (breaker: BreakerState) => reportBreakerChange(context, endpoint, admission.position, breaker, now);
  if (isPromiseLike(recorded)) pending.push(recorded.then(reportBreaker));
  else reportBreaker(recorded);
  if (classification.kind !== 'aborted') {
    recordLatency(selection.latency, endpoint, { rttMs, failed: classification.kind !== 'success', now }, options.latency);
  }
  // The provider took the key, account and model: a run of their refusals, and a recheck of them, is over. (Nothing to
  // end on a healthy router: three reads.)
  if (recheck !== undefined || anyStreak(refusalStreaks)) {
    const accepted = acceptedBy(classification, route);
    if (accepted) endRefusals(refusalStreaks, endpoint, model, startedAt);
    if (recheck !== undefined) endRecheck(rechecks, recheck, accepted, now);
  }
  // A refusal of the key, account or model with no reset named: its hold grows with the refusals in a row before it.
  const guessedHold = classification.cooldown === 'long' && !(classification.delayMs !== undefined && classification.delayMs > 0);
  const streakModel = classification.perModel ? model : undefined;
  const last = guessedHold ? streakOf(refusalStreaks, endpoint, streakModel) : undefined;
  const refusals = guessedHold ? refusalsBefore(last, now, options.cooldown.disableMs) : 0;
  let decision = decideCooldown(classification, { now, model, options: options.cooldown, random, refusals });
  if (guessedHold && decision.type !== 'none') {
    // A refusal during a hold (a request already in flight): the hold stands as it was.
    if (last !== undefined && now < last.until) decision = { ...decision, until: last.until };
    noteRefusal(refusalStreaks, endpoint, streakModel, { count: refusals, until: decision.until, refusedAt: now });
  }
  // A success that used the last of a limit: cool until its reset rather than collect a 429 next time. With
  // admission on, the quota model has read the same headers and refills the bucket steadily, so it decides when the
  // endpoint fits again; a provider's reset is often the time until the bucket is *full* (a minute), far longer
  // than until the next request fits, and cooling for it would idle the endpoint. A reading that names no limit
  // (`remaining: 0` and a reset alone, an IETF field without its policy) gives the quota model no bucket to refill:
  // it cools as without admission.
  const signals = classification.signals;
  if (classification.kind === 'success' && signals?.exhausted.length && classification.delayMs && (quota === undefined || !exhaustedWithLimits(signals))) {
    decision = { type: 'cool', until: now + classification.delayMs, model, reason: 'rate limit exhausted' };
  }
  if (decision.type !== 'none') {
    // A reason quotes the provider's error code, and some providers put the key they were sent in it.
    const reason = scrub(decision.reason);
    if (decision.type === 'cool' && decision.soft) {
      // A guess, not a provider's signal: this router passes the endpoint over, and the store is not told.
      selection.overloaded.set(endpoint, Math.max(selection.overloaded.get(endpoint) ?? 0, decision.until));
    } else {
      const written =
        decision.type === 'cool'
          ? store.coolDown(endpoint, decision.until, decision.model, reason, now)
          : store.disable(endpoint, decision.until, reason, credentials?.get(endpoint));
      if (isPromiseLike(written)) pending.push(written);
    }
    emit(() => ({
      type: 'cooldown-start', endpoint, model: decision.type === 'cool' ? decision.model : undefined,
      until: decision.until, disabled: decision.type === 'disable', reason, at: now,
      delaySource: classification.delaySource, delayMs: classification.delayMs,
    }));
  }
  return pending.length > 0 ? Promise.all(pending).then(() => undefined) : undefined;
};
