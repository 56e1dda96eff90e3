import { isPromiseLike, type MaybePromise } from '../ports/maybe-promise';
import type { EndpointState, StateStore } from '../ports/state-store';
import type { Candidate } from './serving-endpoints';

// Awaiting a value that is not a promise still costs a microtask per await; with the in-memory store every answer
// is synchronous, so callers await only when a store really is asynchronous.

/** Reads every candidate's state in one go, in the candidates' order; a promise only when the store answers with one. */
export const readStates = (store: StateStore, candidates: readonly Candidate[]): MaybePromise<EndpointState[]> => {
  const states: MaybePromise<EndpointState>[] = candidates.map((candidate) => store.read(candidate.name));
  return states.some(isPromiseLike) ? Promise.all(states) : (states as EndpointState[]);
};
