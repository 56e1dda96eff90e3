import { isPaidRoute } from '../apis/replayable-request';
import type { Classification } from '../classification/classification';
import type { EndpointState } from '../ports/state-store';
import { maxModelStreaks, streakKey, type RefusalStreaks } from './refusal-streaks';

/**
 * One request at a time asks an endpoint (or a model on it) whose quota, billing or auth hold has run out whether the
 * provider still refuses: every request that came the moment a hold ran out was sent, and each of them drew the same
 * refusal and failed over. The rest of the requests to routes it bills pass it over until the recheck's answer is in,
 * as a half-open breaker's probe makes them (requests to other routes are sent as usual; a request with nowhere else
 * to go is sent all the same). Kept by each router: a fleet rechecks an endpoint once a member a hold.
 */
export interface Rechecks {
  /** Per endpoint, when a recheck's answer last showed its disable over: a disable that ran out before is settled. */
  readonly confirmedAt: Map<string, number>;
  /** Per endpoint, when the recheck in flight started: bounded by the configuration. */
  readonly endpointClaims: Map<string, number>;
  /** Per endpoint and model (`streakKey`): a caller's names, so at most as many as models' streaks. */
  readonly modelClaims: Map<string, number>;
}

/**
 * How soon a request that passed an endpoint over during its recheck may look at it again: the recheck's answer may
 * come any moment, and a request whose other endpoints fail then goes back to it rather than giving up.
 */
export const recheckPollMs = 250;

/** Fresh, empty rechecks. */
export const createRechecks = (): Rechecks => ({ confirmedAt: new Map(), endpointClaims: new Map(), modelClaims: new Map() });

/** A request's recheck: of the endpoint's disable (`model` undefined) or of one model's hold on it. */
export interface RecheckClaim {
  readonly endpoint: string;
  readonly model: string | undefined;
  /** When it was claimed: a claim taken over after `timeoutMs` is the new holder's, and only its holder frees it. */
  readonly since: number;
}

/**
 * Did the provider take the key, account and model this time? Only an answer to a request it bills (`isPaidRoute`,
 * under any provider's prefix: a free route such as `/messages/count_tokens` or `/models`, or a request the provider
 * turned down as the caller's fault, is answered for a spent balance too), or a rate limit there, which a spent
 * balance is not.
 */
export const acceptedBy = (classification: Classification, route: string): boolean =>
  (classification.kind === 'success' || classification.kind === 'rate_limited') && classification.cooldown !== 'long' && isPaidRoute(route);

/**
 * The hold a request to `endpoint` for `model` would recheck: the endpoint's own disable once it ran out and no
 * recheck has settled it, else the model's hold from this router's streak once it ran out; undefined for none. (A
 * model's hold this router only adopted from its fleet is not rechecked: the store keeps no trace of one that ran out.)
 */
const dueRecheck = (
  rechecks: Rechecks, streaks: RefusalStreaks, endpoint: string, model: string | undefined, state: EndpointState, now: number,
): 'endpoint' | 'model' | undefined => {
  const { disabledUntil } = state;
  if (disabledUntil !== 0 && disabledUntil <= now && (rechecks.confirmedAt.get(endpoint) ?? 0) < disabledUntil) return 'endpoint';
  if (model === undefined || streaks.models.size === 0) return undefined;
  const held = streaks.models.get(streakKey(endpoint, model));
  return held !== undefined && held.until <= now ? 'model' : undefined;
};

/** The claims of the endpoint's disable (`model` undefined), or of one model's holds, and the claim's key in them. */
const claimsOf = (rechecks: Rechecks, endpoint: string, model: string | undefined): [Map<string, number>, string] =>
  model === undefined ? [rechecks.endpointClaims, endpoint] : [rechecks.modelClaims, streakKey(endpoint, model)];

/** What a claim reads of a request: its model and route (a request's state is one, so a claim allocates nothing). */
export interface RecheckRequest {
  readonly model: string | undefined;
  readonly prepared: { readonly path: string };
}

/**
 * Claims the recheck of an endpoint whose hold ran out, for one request to its route: the claim when this request is
 * it, `wait` while another's is in flight (for at most `timeoutMs`, so a recheck that never reports frees its claim),
 * undefined when nothing is due, or when the route is not one the provider bills (`isPaidRoute`): its answer would
 * settle nothing, and a spent balance answers it. Costs two reads on an endpoint that was never disabled.
 */
export const claimRecheck = (
  rechecks: Rechecks, streaks: RefusalStreaks, endpoint: string, request: RecheckRequest, state: EndpointState, now: number, timeoutMs: number,
): RecheckClaim | 'wait' | undefined => {
  if (state.disabledUntil === 0 && streaks.models.size === 0) return undefined;
  const due = dueRecheck(rechecks, streaks, endpoint, request.model, state, now);
  if (due === undefined || !isPaidRoute(request.prepared.path)) return undefined;
  const model = due === 'model' ? request.model : undefined;
  const [claims, key] = claimsOf(rechecks, endpoint, model);
  const since = claims.get(key);
  if (since !== undefined && now - since < timeoutMs) return 'wait';
  // Claims whose request ended between are bounded too: a model's key is a caller's name.
  if (since === undefined && claims.size >= maxModelStreaks) claims.delete(claims.keys().next().value as string);
  claims.set(key, now);
  return { endpoint, model, since: now };
};

/**
 * The request that held `claim` came to an answer, or to none: its recheck is over, unless another request took the
 * claim over since. `accepted` ({@link acceptedBy}): the provider took the key, account and model, so the endpoint's
 * disable that ran out is over for good.
 */
export const endRecheck = (rechecks: Rechecks, claim: RecheckClaim, accepted: boolean, now: number): void => {
  const [claims, key] = claimsOf(rechecks, claim.endpoint, claim.model);
  if (claims.get(key) === claim.since) claims.delete(key);
  if (accepted && claim.model === undefined) rechecks.confirmedAt.set(claim.endpoint, now);
};
