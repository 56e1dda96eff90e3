import type { Clock } from './clock';

// This file is the single seam where core touches the platform's timers. Each member wraps the global in an
// arrow instead of storing it: a stored `setTimeout` would slip past fake timers installed later, and on Workers
// calling a stored global as another object's method throws "Illegal invocation".
const host = globalThis as unknown as {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

/** The platform clock: `Date.now` and the global timers. The default wherever no clock is injected. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule: (run, ms) => host.setTimeout(run, ms),
  cancel: (handle) => host.clearTimeout(handle),
};
