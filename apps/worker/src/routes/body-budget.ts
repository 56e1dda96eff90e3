import { GatewayError } from '../middleware/gateway-error';

/**
 * The bytes of request bodies the requests in flight hold together, bounded (`maxBodyBytesInFlight`). Each request
 * opens a share, which grows by each piece of its body as it arrives, and gives it all back when its answer is
 * finished (a stream holds its body to the end, to rescue it).
 *
 * Counted as bytes arrive, not as declared: a share taken for a declared `Content-Length` before any byte came let
 * thirteen connections that sent headers and nothing more hold the whole budget, and every other caller got 503
 * until they timed out.
 */
export interface BodyBudget {
  /** A new, empty share of the budget for one request's body. */
  open(): BodyShare;
  /** The bytes held now. */
  readonly held: number;
}

/** One request's share of the {@link BodyBudget}. */
export interface BodyShare {
  /** Adds `bytes` to the share; false (and nothing added) when they do not fit beside what every request holds. */
  grow(bytes: number): boolean;
  /** Gives the whole share back; once, however often it is called. */
  release(): void;
}

export const createBodyBudget = (limit: number): BodyBudget => {
  let held = 0;
  return {
    open() {
      let mine = 0;
      let released = false;
      return {
        grow(bytes) {
          if (released || held + bytes > limit) return false;
          held += bytes;
          mine += bytes;
          return true;
        },
        release() {
          if (released) return;
          released = true;
          held -= mine;
          mine = 0;
        },
      };
    },
    get held() {
      return held;
    },
  };
};

/** The refusal of a body that does not fit beside the bodies in flight (503, `retry-after: 1`). */
export const overBudget = (): GatewayError =>
  new GatewayError('gateway_overloaded', 'The gateway holds as many request bodies as it may (maxBodyBytesInFlight); try again in a moment.');
