/** Tracks whether a shared store's remote is reachable and reports each outage once, however many requests hit it. */
export interface OutageLog {
  /** True between a failure and the next success. */
  readonly down: boolean;
  /** Records a failure; logs only the first one of an outage. */
  fail(error: unknown): void;
  /** Records a success; returns true when it ends an outage, so the caller can rejoin the fleet. */
  recover(): boolean;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Creates the tracker a shared store reports its remote's failures to. A gateway under load would otherwise print
 * one line per request while the remote is away, which buries the one line that matters and costs CPU on the hot
 * path.
 * @param what names the remote in the message, e.g. `Redis at 127.0.0.1:6379`.
 */
export const createOutageLog = (what: string, log: (message: string) => void): OutageLog => {
  let down = false;
  return {
    get down() {
      return down;
    },
    fail(error) {
      if (down) return;
      down = true;
      log(`detour: ${what} is unavailable (${describe(error)}); routing on this instance's local state until it returns`);
    },
    recover() {
      if (!down) return false;
      down = false;
      return true;
    },
  };
};
