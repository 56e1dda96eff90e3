import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import type { EndpointState } from '../ports/state-store';
import { endpointStateWith } from '../state/memory-store';
import type { RouterContext } from './router-context';
import type { Candidate } from './serving-endpoints';

// Awaiting a value that is not a promise still costs a microtask per await; with the in-memory store every answer
// is synchronous, so callers await only when a store really is asynchronous.

/**
 * The state as this router acts on it: without a disable another credential earned (the endpoint's key was replaced
 * since, or a member of the fleet still uses the old one), which is not this endpoint's to serve out.
 */
const asOwn = (state: EndpointState, credential: string | undefined): EndpointState =>
  state.disabledBy === credential ? state : endpointStateWith(state, { disabledUntil: 0, disabledBy: undefined });

/** Reads every candidate's state in one go, in the candidates' order; a promise only when the store answers with one. */
export const readStates = (
  { store, credentials }: Pick<RouterContext, 'store' | 'credentials'>,
  candidates: readonly Candidate[],
): MaybePromise<EndpointState[]> => {
  const states: MaybePromise<EndpointState>[] = candidates.map((candidate) => store.read(candidate.name));
  if (credentials !== undefined) {
    for (let index = 0; index < states.length; index += 1) {
      const read = states[index]!;
      const name = candidates[index]!.name;
      // The credential is looked up only for a state with a disable: nearly every read has none.
      if (isPromiseLike(read)) states[index] = read.then((state) => (state.disabledBy === undefined ? state : asOwn(state, credentials.get(name))));
      else if (read.disabledBy !== undefined) states[index] = asOwn(read, credentials.get(name));
    }
  }
  return states.some(isPromiseLike) ? Promise.all(states) : (states as EndpointState[]);
};
