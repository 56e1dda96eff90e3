import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { createAdmissionQueue } from './admission-queue';
import type { Priority } from './request-priority';

/** A queue in front of a pool of `slots`, refilled by hand; grants record who got in, in order. */
const setup = (maxLength = 100) => {
  const clock = createFakeClock(0);
  const queue = createAdmissionQueue<string>({ clock, maxLength });
  let slots = 0;
  const order: string[] = [];
  const entry = (priority: Priority, name: string) => ({
    priority,
    enqueuedAt: clock.now(),
    tryGrant: () => {
      if (slots <= 0) return { waitMs: 1000 };
      slots -= 1;
      order.push(name);
      return { granted: name };
    },
  });
  const give = (count: number) => {
    slots += count;
    queue.pump();
  };
  return { clock, queue, entry, give, order };
};

describe('admission queue', () => {
  it('grants high first, then normal, then low, but never starves low', async () => {
    const { queue, entry, give, order } = setup(1000);
    const controllers: AbortController[] = [];
    const waits: Promise<unknown>[] = [];
    for (let index = 0; index < 30; index += 1) {
      for (const priority of ['low', 'normal', 'high'] as const) {
        const controller = new AbortController();
        controllers.push(controller);
        waits.push(queue.wait(entry(priority, `${priority}${index}`), 60_000, controller.signal)!);
      }
    }
    give(26);
    const served = order.map((name) => name.replace(/\d+/, ''));
    expect(served.filter((name) => name === 'high')).toHaveLength(18);
    expect(served.filter((name) => name === 'normal')).toHaveLength(6);
    expect(served.filter((name) => name === 'low')).toHaveLength(2);
    // Within a class, first come first served.
    expect(order.filter((name) => name.startsWith('high')).slice(0, 3)).toEqual(['high0', 'high1', 'high2']);
    for (const controller of controllers) controller.abort();
    await Promise.all(waits);
    expect(queue.length).toBe(0);
  });

  it('removes a caller who leaves at once, and grants the next in line', async () => {
    const { queue, entry, give, order } = setup();
    const leaving = new AbortController();
    const staying = new AbortController();
    const first = queue.wait(entry('normal', 'first'), 60_000, leaving.signal)!;
    const second = queue.wait(entry('normal', 'second'), 60_000, staying.signal)!;
    leaving.abort();
    expect(queue.length).toBe(1);
    expect(await first).toEqual({ exit: 'aborted', granted: undefined });
    give(1);
    expect(await second).toEqual({ exit: 'granted', granted: 'second' });
    expect(order).toEqual(['second']);
  });

  it('bounds every wait and the queue length', async () => {
    const { clock, queue, entry } = setup(2);
    const signal = new AbortController().signal;
    const first = queue.wait(entry('low', 'a'), 500, signal)!;
    queue.wait(entry('low', 'b'), 5000, signal);
    expect(queue.wait(entry('high', 'c'), 500, signal)).toBeUndefined();
    clock.advance(500);
    expect(await first).toEqual({ exit: 'timeout', granted: undefined });
    clock.advance(5000);
    expect(queue.length).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('looks again when the shortest wait has passed', async () => {
    const clock = createFakeClock(0);
    const queue = createAdmissionQueue<string>({ clock, maxLength: 10 });
    const readyAt = 700;
    const waiting = queue.wait({ priority: 'normal', enqueuedAt: 0, tryGrant: (now) => (now >= readyAt ? { granted: 'ok' } : { waitMs: readyAt - now }) }, 5000, new AbortController().signal)!;
    clock.advance(700);
    expect(await waiting).toEqual({ exit: 'granted', granted: 'ok' });
  });

  it('gives every class at least its weighted share of grants while all three wait', () => {
    fc.assert(
      fc.property(fc.integer({ min: 13, max: 300 }), (grants) => {
        const { queue, entry, give, order } = setup(10_000);
        for (let index = 0; index < 400; index += 1) {
          for (const priority of ['high', 'normal', 'low'] as const) queue.wait(entry(priority, priority), 60_000, new AbortController().signal);
        }
        give(grants);
        const count = (priority: string) => order.filter((name) => name === priority).length;
        return count('low') >= Math.floor(grants / 13) && count('high') >= Math.floor((grants * 9) / 13) - 1;
      }),
      { numRuns: 30 },
    );
  });
});
