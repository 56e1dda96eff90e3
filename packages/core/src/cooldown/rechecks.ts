import type { Classification } from '../classification/classification';
import type { OutcomeKind } from '../classification/outcome-kind';
import type { EndpointState } from '../ports/state-store';
import { maxRefusalStreaks, streakKey, type RefusalStreaks } from './refusal-streaks';

/**
 * One request at a time asks an endpoint (or a model on it) whose quota, billing or auth hold has run out whether the
 * provider still refuses: every request that came the moment a hold ran out was sent, and each of them drew the same
 * refusal and failed over. The rest pass it over until the recheck's answer is in, as a half-open breaker's probe
 * makes them. Kept by each router: a fleet rechecks once a member at most.
 */
export interface Rechecks {
  /** Per endpoint, when a recheck's answer last showed its disable over: a disable that ran out before is settled. */
  readonly confirmedAt: Map<string, number>;
  /** Per endpoint or model (`streakKey`), when the recheck in flight started. */
  readonly inFlight: Map<string, number>;
}

/**
 * Answers that show the provider took the key, account and model: an answer, a rate limit, or the request's own fault.
 * A server error, an overload, a timeout or a broken connection says nothing about them.
 */
const acceptingKinds: ReadonlySet<OutcomeKind> = new Set<OutcomeKind>([
  'success', 'rate_limited', 'context_length_exceeded', 'content_policy', 'request_too_large', 'invalid_request', 'not_found', 'conflict',
]);

/** Did the provider take the key, account and model this time (see `acceptingKinds`)? A refusal of them did not. */
export const acceptedBy = (classification: Classification): boolean => classification.cooldown !== 'long' && acceptingKinds.has(classification.kind);

/** Fresh, empty rechecks. */
export const createRechecks = (): Rechecks => ({ confirmedAt: new Map(), inFlight: new Map() });

/** What a request may do with an endpoint: `pass` as usual, `recheck` it (it was given the recheck), or `wait`. */
export type RecheckClaim = 'pass' | 'recheck' | 'wait';

/**
 * The hold a request to `endpoint` for `model` would recheck: the endpoint's own disable once it ran out and no
 * recheck has settled it, else the model's hold from this router's streak once it ran out; undefined for none.
 */
const dueRecheck = (
  rechecks: Rechecks, streaks: RefusalStreaks, endpoint: string, model: string | undefined, state: EndpointState, now: number,
): string | undefined => {
  const { disabledUntil } = state;
  if (disabledUntil !== 0 && disabledUntil <= now && (rechecks.confirmedAt.get(endpoint) ?? 0) < disabledUntil) return endpoint;
  if (model === undefined || streaks.size === 0) return undefined;
  const key = streakKey(endpoint, model);
  const held = streaks.get(key);
  return held !== undefined && held.until <= now ? key : undefined;
};

/**
 * Claims the recheck of an endpoint whose hold ran out, for one request: `recheck` when this request is it, `wait`
 * while another's is in flight (for at most `timeoutMs`, so a recheck that never reports frees its claim), `pass`
 * when nothing is due. Costs two reads on an endpoint that was never disabled.
 */
export const claimRecheck = (
  rechecks: Rechecks, streaks: RefusalStreaks, endpoint: string, model: string | undefined, state: EndpointState, now: number,
  timeoutMs: number,
): RecheckClaim => {
  if (state.disabledUntil === 0 && streaks.size === 0) return 'pass';
  const key = dueRecheck(rechecks, streaks, endpoint, model, state, now);
  if (key === undefined) return 'pass';
  const since = rechecks.inFlight.get(key);
  if (since !== undefined && now - since < timeoutMs) return 'wait';
  // A model's key is a caller's name: claims that never reported (their request ended between) are bounded too.
  if (since === undefined && rechecks.inFlight.size >= maxRefusalStreaks) rechecks.inFlight.delete(rechecks.inFlight.keys().next().value as string);
  rechecks.inFlight.set(key, now);
  return 'recheck';
};

/**
 * An attempt on `endpoint` for `model` came to an answer (or to none): its recheck, if one was in flight, is over.
 * `settled`: the provider took the key, account and model ({@link acceptedBy}), so the endpoint's disable that ran out
 * is over for good.
 */
export const endRecheck = (rechecks: Rechecks, endpoint: string, model: string | undefined, settled: boolean, now: number): void => {
  if (rechecks.inFlight.size === 0) return;
  if (rechecks.inFlight.delete(endpoint) && settled) rechecks.confirmedAt.set(endpoint, now);
  if (model !== undefined) rechecks.inFlight.delete(streakKey(endpoint, model));
};
