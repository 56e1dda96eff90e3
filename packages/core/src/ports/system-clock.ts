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
// the length of the step (a 2 s cooldown became an hour's outage after a step back of an hour). So a step back is
// taken as a lead over the wall clock. A lead of a second or less is waited out (the clock stands still while the
// wall clock catches up): a clock that jitters back and forth by milliseconds gains nothing. A longer one is run
// through at half the wall clock's pace, however often the clock is read, until a second is left: meanwhile a
// cooldown lasts up to twice as long, and then time is the wall clock's again, for logs and for the fleet. The time
// between the last reading before the step and the step itself is not counted. A step forward is taken at once
// (cooldowns end early, which costs at most an early retry). Whole milliseconds, as `Date.now` gives. Timers are
// relative and unaffected.
const waitedOutMs = 1000;
let lead = 0;
let lastWall = Number.NEGATIVE_INFINITY;
let latest = Number.NEGATIVE_INFINITY;
const steadyNow = (): number => {
  const wall = Date.now();
  if (wall < lastWall) lead += lastWall - wall;
  else if (lead > 0) {
    let passed = wall - lastWall;
    // At half pace down to a second of lead, then waited out. Fractions kept: read every millisecond, half of each
    // is still half.
    const halfPaced = Math.min(passed, 2 * Math.max(0, lead - waitedOutMs));
    lead -= halfPaced / 2;
    passed -= halfPaced;
    lead = Math.max(0, lead - passed);
  }
  lastWall = wall;
  latest = Math.max(latest, wall + Math.ceil(lead));
  return latest;
};

/**
 * The platform clock: `Date.now`, never stepping back (a wall clock stepped back is run through at half pace, see
 * above), and the global timers. The default wherever no clock is injected.
 */
export const systemClock: Clock = {
  now: steadyNow,
  // `background` is the Node binding's to honour (its clock unrefs such a timer): a Worker has no process to keep alive.
  schedule: (run, ms) => host.setTimeout(run, Math.min(ms, longestTimerMs)),
  cancel: (handle) => host.clearTimeout(handle),
};
