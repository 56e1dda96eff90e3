import { DetourError } from '../errors/detour-error';
import type { FakeClock } from '../testing/fake-clock';
import type { Priority } from './request-priority';

/** One simulated request's fate, timed on the fake clock. */
export interface OverloadOutcome {
  priority: Priority;
  start: number;
  end: number;
  ok: boolean;
  /** The Detour error code of a failure (`other` for anything else). */
  code?: string;
}

/** 20 % high, 60 % normal, 20 % low, interleaved. */
export const priorityOf = (index: number): Priority => (index % 5 === 0 ? 'high' : index % 5 === 4 ? 'low' : 'normal');

/** The 99th percentile (nearest rank); NaN for no values. */
export const p99 = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
};

/**
 * Sends `arrivals` requests evenly spaced on a fake clock, then drains for `drainMs`, and returns every outcome.
 * Time moves in 1 ms steps with the microtask queue flushed between them, so what the admission queue grants is
 * sent close to when it was granted.
 */
export const driveOverload = async ({ clock, arrivals, spacingMs, drainMs, send }: {
  clock: FakeClock;
  arrivals: number;
  spacingMs: number;
  drainMs: number;
  send: (index: number, priority: Priority) => Promise<unknown>;
}): Promise<OverloadOutcome[]> => {
  const outcomes: OverloadOutcome[] = [];
  const pending: Promise<void>[] = [];
  const ticks = async () => {
    for (let index = 0; index < 30; index += 1) await Promise.resolve();
  };
  const advance = async (steps: number) => {
    for (let step = 0; step < steps; step += 1) {
      clock.advance(1);
      await ticks();
    }
  };
  for (let index = 0; index < arrivals; index += 1) {
    const priority = priorityOf(index);
    const start = clock.now();
    pending.push(
      send(index, priority).then(
        () => void outcomes.push({ priority, start, end: clock.now(), ok: true }),
        (error: unknown) => void outcomes.push({ priority, start, end: clock.now(), ok: false, code: DetourError.isInstance(error) ? error.code : 'other' }),
      ),
    );
    await ticks();
    await advance(spacingMs);
  }
  await advance(drainMs);
  await Promise.all(pending);
  return outcomes;
};
