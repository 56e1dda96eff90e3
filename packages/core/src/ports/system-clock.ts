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

/** The platform clock: `Date.now` and the global timers. The default wherever no clock is injected. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule: (run, ms) => host.setTimeout(run, Math.min(ms, longestTimerMs)),
  cancel: (handle) => host.clearTimeout(handle),
};
