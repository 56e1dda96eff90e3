/**
 * The bytes of request bodies the requests in flight hold together, bounded (`maxBodyBytesInFlight`). A request
 * takes its body's size before routing and gives it back when its answer is finished (a stream holds its body to
 * the end, to rescue it).
 */
export interface BodyBudget {
  /** Takes `bytes`; returns what gives them back (once, however often it is called), or undefined when they do not fit. */
  take(bytes: number): (() => void) | undefined;
  /** The bytes held now. */
  readonly held: number;
}

export const createBodyBudget = (limit: number): BodyBudget => {
  let held = 0;
  return {
    take(bytes) {
      if (held + bytes > limit) return undefined;
      held += bytes;
      let given = false;
      return () => {
        if (given) return;
        given = true;
        held -= bytes;
      };
    },
    get held() {
      return held;
    },
  };
};
