/**
 * A replayed answer departed from the text the caller already has. Internal: the stream guard turns it into the
 * caller's `StreamInterruptedError` (cause `diverged`), so a spliced, inconsistent answer never reaches anyone.
 */
export class ReplayDivergedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayDivergedError';
  }
}
