import type { Clock } from '../ports/clock';
import type { Sleep } from '../ports/sleep';

/** A clock that moves only when told to, with a sleep that moves it. */
export interface FakeClock extends Clock {
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void;
  /** A sleep that records its delay and advances the clock by it at once: waits cost no real time. */
  readonly sleep: Sleep;
  /** Every delay slept, in order. */
  readonly sleeps: number[];
  /** Timers still scheduled. */
  readonly pendingTimers: number;
}

/**
 * Creates a fake clock starting at `startMs`. Tests step through cooldowns, half-open windows and deadlines with
 * it instantly; time never moves by itself.
 *
 * @example
 * const clock = createFakeClock();
 * const router = createRouter(options, { transport, clock, sleep: clock.sleep });
 */
export const createFakeClock = (startMs = 1_700_000_000_000): FakeClock => {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  const sleeps: number[] = [];

  const advance = (ms: number) => {
    const target = now + Math.max(0, ms);
    for (;;) {
      let dueId: number | undefined;
      let dueAt = Number.POSITIVE_INFINITY;
      for (const [id, timer] of timers) {
        if (timer.at <= target && timer.at < dueAt) {
          dueAt = timer.at;
          dueId = id;
        }
      }
      if (dueId === undefined) break;
      const timer = timers.get(dueId)!;
      timers.delete(dueId);
      now = Math.max(now, timer.at);
      timer.run();
    }
    now = target;
  };

  const clock: FakeClock = {
    now: () => now,
    schedule: (run, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), run });
      return id;
    },
    cancel: (handle) => void timers.delete(handle as number),
    advance,
    sleeps,
    get pendingTimers() {
      return timers.size;
    },
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      advance(ms);
      if (signal?.aborted) throw signal.reason;
    },
  };
  return clock;
};
