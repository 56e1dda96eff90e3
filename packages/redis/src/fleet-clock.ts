import { createModelCooldowns, type FleetEndpointState } from '@detour/core/store';

/**
 * Converts between this instance's clock and the Redis server's, the one clock a fleet shares. Deadlines (cooldowns,
 * disables, a breaker's `openUntil`), quota readings' stamps and retry-budget buckets go to Redis in server time
 * and come back in local time, so members whose clocks disagree still agree on when a deadline ends: a member 40
 * minutes fast otherwise cooled an endpoint for every other member 40 minutes longer than the provider asked.
 *
 * The offset is measured against Redis's `TIME` at each reload. It moves only when a reading differs from it by
 * more than {@link steadyMs} or the round trip's length, so a member whose clock already agrees with the server's
 * (the usual case, with NTP) converts by exactly 0, and the jitter of a round trip never nudges deadlines.
 */
export interface FleetClock {
  /** A local time (ms since the epoch) in server time. 0 (no deadline) stays 0. */
  toFleet(local: number): number;
  /** A server time in local time. 0 (no deadline) stays 0. */
  toLocal(fleet: number): number;
  /** An endpoint's fleet state, read from Redis in server time, with its deadlines in local time. */
  stateToLocal(state: FleetEndpointState): FleetEndpointState;
  /**
   * Folds in one reading of Redis's `TIME` (`[seconds, microseconds]`), sent at `sentAt` and answered at
   * `answeredAt` on the local clock.
   */
  sample(time: readonly [string, string] | readonly string[], sentAt: number, answeredAt: number): void;
  /** Local time minus server time, in whole ms, as last adopted (0 until the first reading). */
  readonly offsetMs: number;
}

/** Readings within this of the adopted offset leave it as it is: the error this allows is far below any delay. */
export const steadyMs = 10;

/** Creates the converter, at offset 0 until the first {@link FleetClock.sample}. */
export const createFleetClock = (): FleetClock => {
  let offset = 0;
  const toLocal = (fleet: number) => (fleet > 0 ? fleet + offset : fleet);
  // Model names are callers' input (`__proto__`): a map without a prototype, as core keeps them.
  const cooldownsToLocal = (cooldowns: Readonly<Record<string, number>>) => {
    const converted = createModelCooldowns();
    for (const model of Object.keys(cooldowns)) converted[model] = toLocal(cooldowns[model]!);
    return converted;
  };
  return {
    get offsetMs() {
      return offset;
    },
    toFleet: (local) => (local > 0 ? local - offset : local),
    toLocal,
    stateToLocal: (state) =>
      offset === 0
        ? state
        : {
          ...state,
          cooldownUntil: toLocal(state.cooldownUntil),
          disabledUntil: toLocal(state.disabledUntil),
          modelCooldowns: cooldownsToLocal(state.modelCooldowns),
          breaker: state.breaker && { ...state.breaker, openUntil: toLocal(state.breaker.openUntil) },
        },
    sample(time, sentAt, answeredAt) {
      const serverMs = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
      if (!Number.isFinite(serverMs) || answeredAt < sentAt) return;
      // The server read its clock somewhere in the round trip: its middle is the best guess, off by at most half.
      const reading = Math.round((sentAt + answeredAt) / 2 - serverMs);
      if (Math.abs(reading - offset) > Math.max(steadyMs, answeredAt - sentAt)) offset = reading;
    },
  };
};
