// Kept in ports/: this type is part of the StateStore port's contract (every method answers one), and the guard
// is how the engine honours it without awaiting a synchronous store.

/** A value that a synchronous store returns as is and an asynchronous one as a promise. */
export type MaybePromise<T> = T | Promise<T>;

/** True when `value` is thenable, so callers await only when a store really is asynchronous. */
export const isPromiseLike = <T>(value: MaybePromise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';
