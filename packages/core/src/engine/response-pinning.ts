import { pinsOfResponse, responseOfStreamHead } from '../apis/stored-response';
import { DetourError } from '../errors/detour-error';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import type { Endpoint } from '../options/endpoint-schema';
import type { EndpointState } from '../ports/state-store';
import { buildAttemptRequest } from './attempt-request';
import { freeInMs } from './choose-endpoint';
import { isAvailable } from './endpoint-availability';
import { LinkedAbortSource } from '../budget/abort-source';
import type { PreparedRequest } from './prepare-request';
import { awaitStore, unanswered } from './await-store';
import { isPromiseLike } from '../ports/maybe-promise';
import { readStates } from './read-states';
import type { RequestState } from './request-state';
import type { RouterContext } from './router-context';
import type { AttemptSuccess } from './run-attempt';
import type { Candidate } from './serving-endpoints';

/** The storage an endpoint's stored Responses live in: its `storage` option, else its own name. */
export const storageOf = (endpoint: Pick<Endpoint, 'name' | 'storage'>): string => endpoint.storage ?? endpoint.name;

/** The 404 for a stored response (or conversation) that no storage this router can reach holds. */
export const responseNotFound = (id: string): DetourError =>
  new DetourError('response_not_found', { message: `No storage this router can reach holds "${id.slice(0, 256)}".` });

/**
 * The request's candidates narrowed to the storage that holds what it continues. A holder none of whose endpoints
 * serves the request's model (or API) cannot serve it: that is a 404 naming the storage, never another storage.
 */
export const inStorage = (serving: readonly Candidate[], storage: string, id: string, model: string | undefined): readonly Candidate[] => {
  const members = serving.filter((candidate) => storageOf(candidate.endpoint) === storage);
  if (members.length === 0) {
    throw new DetourError('model_not_found', {
      message: `"${id.slice(0, 256)}" is stored in "${storage}", and no endpoint of that storage serves ${model === undefined ? 'this request' : `the model "${model}"`}.`,
    });
  }
  return members;
};

/** The request's candidates grouped by storage, groups in the order their best (lowest) tier is tried. */
const storageGroups = (serving: readonly Candidate[]): [string, Candidate[]][] => {
  const groups = new Map<string, Candidate[]>();
  for (const candidate of serving) {
    const storage = storageOf(candidate.endpoint);
    const members = groups.get(storage);
    if (members) members.push(candidate);
    else groups.set(storage, [candidate]);
  }
  const best = (members: readonly Candidate[]) => Math.min(...members.map((member) => member.priority));
  // Array#sort is stable: equal tiers keep the options' order.
  return [...groups].sort(([, left], [, right]) => best(left) - best(right));
};

type Verdict = 'held' | 'absent' | 'unknown';

/**
 * Finds which storage holds an id this router has not seen (another instance served it, or its pin was forgotten):
 * asks each storage group in priority order with `GET /responses/{id}` (or `/conversations/{id}`) on one of its
 * available endpoints, with that endpoint's key, until one answers 200. A 404 rules the whole storage out: its keys
 * share what they store. Any other answer (429, 5xx, a network error) asks the group's next endpoint. The first
 * holder is pinned and the request narrowed to it; when every group says 404 the request fails with
 * `response_not_found`; when some group could not answer, with `NoEndpointAvailableError` (503), since the id may
 * well be there. Lookups are not attempts: no breaker sample, no event, no budget. Bounded by the deadline (and by
 * `attemptTimeoutMs` each); a deadline or a caller's abort leaves the request to the loop, which gives up.
 */
export const lookUpStorage = async (context: RouterContext, state: RequestState): Promise<void> => {
  const reference = state.reference!;
  const { options, clock } = context;
  const read = readStates(context, state.serving);
  const all = isPromiseLike(read) ? await awaitStore(context, state, read) : read;
  // The deadline, the caller or the shutdown ended the wait: the loop's first check says which.
  if (all === unanswered) return;
  const stateOf = new Map(state.serving.map((candidate, index) => [candidate.name, all[index]!] as const));
  const unsure: EndpointState[] = [];
  for (const [storage, members] of storageGroups(state.serving)) {
    const ordered = [...members].sort((left, right) => left.priority - right.priority);
    let verdict: Verdict = 'unknown';
    for (const candidate of ordered) {
      if (state.deadline.signal.aborted || context.lifecycle.shutDown) return;
      if (!isAvailable(stateOf.get(candidate.name)!, state.model, clock.now(), options.breaker)) continue;
      verdict = await askEndpoint(context, state, candidate);
      if (verdict !== 'unknown') break;
    }
    if (verdict === 'held') {
      context.pins.set(reference.key, storage);
      state.serving = inStorage(state.serving, storage, reference.id, state.model);
      return;
    }
    if (verdict === 'unknown') unsure.push(...members.map((member) => stateOf.get(member.name)!));
  }
  if (state.deadline.signal.aborted) return;
  if (unsure.length > 0) throw new NoEndpointAvailableError({ retryAfterMs: freeInMs(state.model, unsure, clock.now(), options.breaker), model: state.model });
  throw responseNotFound(reference.id);
};

/** One lookup on one endpoint: 2xx holds it, 404 does not, anything else cannot say. */
const askEndpoint = async (context: RouterContext, state: RequestState, candidate: Candidate): Promise<Verdict> => {
  const { clock, options } = context;
  const prepared: PreparedRequest = {
    ...state.prepared, method: 'GET', path: state.reference!.lookupPath, body: undefined, bodyBytes: 0, json: undefined, stream: false,
  };
  // A GET has no body to type, and the caller's `accept: text/event-stream` (a streamed continuation) must not
  // turn the lookup into a stream.
  const { 'content-type': _contentType, accept: _accept, ...headers } = state.prepared.headers;
  const request = buildAttemptRequest(candidate.endpoint, { ...prepared, headers }, undefined, { bodyCache: undefined });
  const link = new LinkedAbortSource(state.deadline.signal);
  const timer = options.attemptTimeoutMs === undefined ? undefined : clock.schedule(() => link.abort(new Error('lookup timed out')), options.attemptTimeoutMs);
  try {
    const response = await context.transport(request, link);
    response.cancel();
    if (response.status >= 200 && response.status < 300) return 'held';
    return response.status === 404 ? 'absent' : 'unknown';
  } catch {
    return 'unknown';
  } finally {
    if (timer !== undefined) clock.cancel(timer);
    link.unlink();
  }
};

/**
 * Learns the pins a served `/responses` answer teaches (see `pinsOfResponse`): from a JSON answer's parsed body, or
 * from a stream's first event (`response.created`). A watcher that exposes the stream's `responseId` is read too,
 * so either source is enough. Only creations (`POST /responses`) teach: a `GET /responses/{id}` was pinned already.
 */
export const learnPins = ({ pins }: RouterContext, state: RequestState, storage: string, outcome: AttemptSuccess): void => {
  const { prepared } = state;
  if (state.api !== 'responses' || prepared.method !== 'POST' || !/^\/responses\/?(\?|$)/.test(prepared.path)) return;
  const stored = prepared.json?.store !== false;
  const answer = outcome.stream ? responseOfStreamHead(outcome.stream.head) : outcome.answer;
  const keys = pinsOfResponse(answer, stored);
  const watched = (outcome.stream?.watcher as { readonly responseId?: unknown } | undefined)?.responseId;
  if (stored && typeof watched === 'string') keys.push(`response:${watched}`);
  for (const key of keys) pins.set(key, storage);
};
