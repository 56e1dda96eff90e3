import type { Clock } from '@detour/core';
import { systemClock } from '@detour/core/binding';

/**
 * Core's system clock (never stepping back) with Node's timers: a `background` one is unref'd, so that it keeps no
 * process alive by itself. The idle watchdogs schedule theirs so: the socket they watch keeps the process alive while
 * it is open, and a stream a script left unread held the process for the whole bound (300 s) after all else had ended.
 */
export const nodeClock: Clock = {
  now: systemClock.now,
  cancel: systemClock.cancel,
  schedule: (run, ms, background) => {
    const handle = systemClock.schedule(run, ms) as NodeJS.Timeout;
    if (background) handle.unref();
    return handle;
  },
};
