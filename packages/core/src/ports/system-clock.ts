import type { Clock } from './clock';

// This file is the single seam where core touches the platform's timers. Each member wraps the global in an
// arrow instead of storing it: a stored `setTimeout` would slip past fake timers installed later, and on Workers
// calling a stored global as another object's method throws "Illegal invocation".
const host = globalThis as unknown as {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

// The longest delay a platform timer takes (2^31 - 1 ms, about 24.8 days): Node and browsers run a longer one after
// 1 ms, so a `deadlineMs` of 2147483653 would have failed every request at once. Nothing Detour waits for is
// anywhere near it; a longer wait is held to it.
const longestTimerMs = 2_147_483_647;

// A wall clock stepped back (NTP correcting a clock that booted fast, a VM resumed) must not move Detour's time back:
// every cooldown, open breaker, quota bucket and retry-budget second is an absolute time, and each would hold for
// the length of the step (a 2 s cooldown became an hour's outage after a step back of an hour). So time is the later
// of the wall clock and a monotonic clock (`performance.now()`) anchored to the wall clock's last reading that was not
// behind it: a step back is run through at the monotonic rate, from where time was, and a step forward is taken
// (cooldowns end early, which costs at most an early retry). Where there is no `performance`, a step back is absorbed
// when it is first seen. Timers are relative and unaffected.
const monotonic = (globalThis as { performance?: { now(): number } }).performance;
let anchor = Number.NEGATIVE_INFINITY;
let latest = 0;
const steadyNow = (): number => {
  const wall = Date.now();
  const elapsed = monotonic ? monotonic.now() : 0;
  // Whole milliseconds, as `Date.now` gives.
  const steady = Math.floor(anchor + elapsed);
  if (wall >= steady) {
    anchor = wall - elapsed;
    return (latest = Math.max(latest, wall));
  }
  return (latest = Math.max(latest, monotonic ? steady : latest));
};

/**
 * The platform clock: `Date.now`, never stepping back (a wall clock stepped back is absorbed, see above), and the
 * global timers. The default wherever no clock is injected.
 */
export const systemClock: Clock = {
  now: steadyNow,
  schedule: (run, ms) => host.setTimeout(run, Math.min(ms, longestTimerMs)),
  cancel: (handle) => host.clearTimeout(handle),
};
