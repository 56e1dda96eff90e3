import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock';
import { createAdmissionQueue } from './admission-queue';
import type { Priority } from './request-priority';

interface Forecast {
  free: number;
  nextAt: number;
}

/**
 * A queue in front of a pool of `slots`, refilled by hand (one more every `refillMs` as far as its forecast
 * knows); grants record who got in, in order.
 */
const setup = (maxLength = 100, refillMs = 1000) => {
  const clock = createFakeClock(0);
  let slots = 0;
  const queue = createAdmissionQueue<string, Forecast>({ clock, maxLength, forecast: () => ({ free: slots, nextAt: clock.now() }) });
  const order: string[] = [];
  const entry = (priority: Priority, name: string, deadlineAt = 60_000) => ({
    priority,
    enqueuedAt: clock.now(),
    deadlineAt,
    tryGrant: () => {
      if (slots <= 0) return { waitMs: refillMs };
      slots -= 1;
      order.push(name);
      return { granted: name };
    },
    plan: (forecast: Forecast, at: number) => {
      if (forecast.free > 0) {
        forecast.free -= 1;
        return at;
      }
      forecast.nextAt = Math.max(forecast.nextAt, at) + refillMs;
      return forecast.nextAt;
    },
  });
  const give = (count: number) => {
    slots += count;
    queue.pump();
  };
  return { clock, queue, entry, give, order };
};

/** The promise of a wait that queued (not refused on arrival, not full). */
const queued = <T>(result: Promise<T> | unknown): Promise<T> => {
  if (!(result instanceof Promise)) throw new Error(`expected the entry to queue, got ${JSON.stringify(result)}`);
  return result;
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
        waits.push(queued(queue.wait(entry(priority, `${priority}${index}`, 1e9), controller.signal)));
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
    const first = queued(queue.wait(entry('normal', 'first'), leaving.signal));
    const second = queued(queue.wait(entry('normal', 'second'), staying.signal));
    leaving.abort();
    expect(queue.length).toBe(1);
    expect(await first).toEqual({ exit: 'aborted', granted: undefined });
    give(1);
    expect(await second).toEqual({ exit: 'granted', granted: 'second' });
    expect(order).toEqual(['second']);
  });

  it('bounds every wait and the queue length', async () => {
    // A forecast that promises more than the pool gives: only the timer ends the wait.
    const { clock, queue, entry } = setup(2, 0);
    const signal = new AbortController().signal;
    const first = queued(queue.wait(entry('low', 'a', 500), signal));
    queue.wait(entry('low', 'b', 5000), signal);
    expect(queue.wait(entry('high', 'c', 500), signal)).toBeUndefined();
    clock.advance(500);
    expect(await first).toEqual({ exit: 'timeout', granted: undefined });
    clock.advance(5000);
    expect(queue.length).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('looks again when the shortest wait has passed', async () => {
    const clock = createFakeClock(0);
    const queue = createAdmissionQueue<string, undefined>({ clock, maxLength: 10, forecast: () => undefined });
    const readyAt = 700;
    const entry = {
      priority: 'normal' as const,
      enqueuedAt: 0,
      deadlineAt: 5000,
      tryGrant: (now: number) => (now >= readyAt ? { granted: 'ok' } : { waitMs: readyAt - now }),
      plan: (_: undefined, at: number) => Math.max(at, readyAt),
    };
    const waiting = queued(queue.wait(entry, new AbortController().signal));
    clock.advance(700);
    expect(await waiting).toEqual({ exit: 'granted', granted: 'ok' });
  });

  it('gives every class at least its weighted share of grants while all three wait', () => {
    fc.assert(
      fc.property(fc.integer({ min: 13, max: 200 }), (grants) => {
        const { queue, entry, give, order } = setup(10_000);
        for (let index = 0; index < 200; index += 1) {
          for (const priority of ['high', 'normal', 'low'] as const) queue.wait(entry(priority, priority, 1e9), new AbortController().signal);
        }
        give(grants);
        const count = (priority: string) => order.filter((name) => name === priority).length;
        return count('low') >= Math.floor(grants / 13) && count('high') >= Math.floor((grants * 9) / 13) - 1;
      }),
      { numRuns: 8 },
    );
  }, 30_000);

  it('refuses at once a newcomer whose turn comes after its deadline, saying when it would have come', () => {
    const { queue, entry } = setup(100, 1000);
    const signal = new AbortController().signal;
    // Three ahead at one slot a second: the fourth is admitted at 4 s at the earliest.
    for (const name of ['a', 'b', 'c']) queued(queue.wait(entry('normal', name), signal));
    expect(queue.wait(entry('normal', 'late', 3500), signal)).toEqual({ exit: 'hopeless', granted: undefined, admitAt: 4000 });
    expect(queue.length).toBe(3);
    // The same request with time enough queues.
    queued(queue.wait(entry('normal', 'in-time', 4000), signal));
    expect(queue.length).toBe(4);
  });

  it('lets a waiter go as soon as a higher class arriving ahead pushes it past its deadline, not at the deadline', async () => {
    const { clock, queue, entry } = setup(100, 1000);
    const signal = new AbortController().signal;
    const low = queued(queue.wait(entry('low', 'low', 2500), signal));
    queued(queue.wait(entry('high', 'h1'), signal));
    expect(queue.length).toBe(2);
    // Once the whole queue is due for a plan again (20 ms), a second high request takes the slot at 2 s; the low
    // one would come at 3 s, past its 2.5 s: it leaves now.
    clock.advance(20);
    queued(queue.wait(entry('high', 'h2'), signal));
    expect(await low).toEqual({ exit: 'hopeless', granted: undefined, admitAt: 3020 });
    expect(clock.now()).toBe(20);
    expect(queue.length).toBe(2);
  });

  it('holds the endpoint a blocked entry waits for: entries behind it pass only on other endpoints', async () => {
    const clock = createFakeClock(0);
    // Two endpoints with units of quota; the big request needs 3 on one of them.
    const free: Record<string, number> = { a: 2, b: 0 };
    const queue = createAdmissionQueue<string, undefined>({ clock, maxLength: 100, forecast: () => undefined });
    const order: string[] = [];
    const entry = (priority: Priority, name: string, size: number) => ({
      priority,
      enqueuedAt: 0,
      deadlineAt: 60_000,
      // This pool's units are all alike: anything taken on a held endpoint delays its holder, so nothing passes there.
      tryGrant: (_: number, claimed: ReadonlyMap<string, { endpoint: string }>) => {
        const fits = ['a', 'b'].find((endpoint) => !claimed.has(endpoint) && free[endpoint]! >= size);
        const open = ['a', 'b'].find((endpoint) => !claimed.has(endpoint));
        if (!fits) return { waitMs: 1000, claim: open === undefined ? undefined : { endpoint: open } };
        free[fits]! -= size;
        order.push(`${name}@${fits}`);
        return { granted: name };
      },
      plan: (_: undefined, at: number) => at,
    });
    const signal = new AbortController().signal;
    const big = queued(queue.wait(entry('high', 'big', 3), signal));
    const smalls = ['s1', 's2', 's3'].map((name) => queued(queue.wait(entry('low', name, 1), signal)));
    // a holds 2 of the 3 the big one needs: the small ones may not take them, though they fit.
    expect(order).toEqual([]);
    free.b! += 1;
    queue.pump();
    expect(order).toEqual(['s1@b']);
    free.a! += 1;
    queue.pump();
    expect(order).toEqual(['s1@b', 'big@a']);
    expect(await big).toMatchObject({ exit: 'granted' });
    free.a! += 2;
    queue.pump();
    expect(order).toEqual(['s1@b', 'big@a', 's2@a', 's3@a']);
    await Promise.all(smalls);
  });

  it('never keeps a waiter past the instant its plan says it is hopeless (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ priority: fc.constantFrom<Priority>('high', 'normal', 'low'), deadline: fc.integer({ min: 0, max: 20_000 }) }), { maxLength: 60 }), (arrivals) => {
        const { queue, entry } = setup(1000, 1000);
        const signal = new AbortController().signal;
        const outcomes: { exit: string; deadline: number; admitAt?: number | undefined }[] = [];
        for (const [index, arrival] of arrivals.entries()) {
          const result = queue.wait(entry(arrival.priority, String(index), arrival.deadline), signal);
          if (result instanceof Promise) void result.then((settled) => outcomes.push({ ...settled, deadline: arrival.deadline }));
          else if (result) outcomes.push({ ...result, deadline: arrival.deadline });
        }
        // Whatever is still waiting can be admitted in time by the plan; whatever left did so for that reason.
        return queue.length + outcomes.length <= arrivals.length && outcomes.every((outcome) => outcome.exit !== 'hopeless' || outcome.admitAt! > outcome.deadline);
      }),
      { numRuns: 50 },
    );
  });
});
