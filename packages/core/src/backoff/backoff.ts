import type { Random } from '../ports/random';

/** How a computed delay is spread. See AWS, "Exponential Backoff And Jitter". */
export type JitterMode = 'full' | 'equal' | 'decorrelated' | 'none';

/** Parameters of computed backoff. */
export interface BackoffOptions {
  /** @default 'full' */
  readonly jitter: JitterMode;
  /** The first retry's ceiling. @default 250 */
  readonly baseMs: number;
  /** Growth per retry. @default 2 */
  readonly multiplier: number;
  /** No computed delay exceeds this. @default 8000 */
  readonly capMs: number;
}

/** Where a chain of retries stands: how many delays were drawn and the last one (for decorrelated jitter). */
export interface BackoffState {
  readonly retries: number;
  readonly previousMs: number;
}

/** The state before the first retry of a request. */
export const initialBackoffState: BackoffState = { retries: 0, previousMs: 0 };

/** `min(cap, base · multiplier^n)`: the exponential ceiling of retry `n` (0-based). */
export const exponentialCeiling = (retries: number, { baseMs, multiplier, capMs }: BackoffOptions): number =>
  Math.min(capMs, baseMs * multiplier ** retries);

/**
 * Draws the next computed delay and the state after it. Pure: the same state, options and draw give the same
 * delay, so tests can pin every value.
 *
 * @example
 * const [delayMs, next] = nextBackoff(initialBackoffState, { jitter: 'full', baseMs: 100, multiplier: 2, capMs: 5000 }, () => 0.5);
 * // delayMs === 50
 */
export const nextBackoff = (state: BackoffState, options: BackoffOptions, random: Random): [number, BackoffState] => {
  const ceiling = exponentialCeiling(state.retries, options);
  let delayMs: number;
  switch (options.jitter) {
    case 'none':
      delayMs = ceiling;
      break;
    case 'equal':
      delayMs = ceiling / 2 + random() * (ceiling / 2);
      break;
    case 'decorrelated': {
      // min(cap, uniform(base, 3 · prev)), with prev starting at base for each call chain.
      const previous = state.previousMs > 0 ? state.previousMs : options.baseMs;
      const upper = Math.max(options.baseMs, previous * 3);
      delayMs = Math.min(options.capMs, options.baseMs + random() * (upper - options.baseMs));
      break;
    }
    default:
      delayMs = random() * ceiling;
  }
  delayMs = Math.max(0, Math.floor(delayMs));
  return [delayMs, { retries: state.retries + 1, previousMs: delayMs }];
};

/**
 * Spreads a server-directed delay upwards only, `uniform(d, d · (1 + spread))`: a fleet that was told "20 s" does
 * not come back in lockstep, and no instance comes back before it was asked to.
 */
export const jitterServerDelay = (delayMs: number, random: Random, spread = 0.5): number =>
  Math.ceil(delayMs + random() * delayMs * spread);
