import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createScriptedTransport } from '../testing/scripted-transport';
import { createRouter } from '../engine/router';
import { systemClock } from './system-clock';

// The fourteenth attack: a wall clock stepped back an hour held a 2 s cooldown for the hour.

afterEach(() => vi.restoreAllMocks());

/**
 * The wall clock, under the test's hand: `pass` is time passing, `step` a step of the clock alone. The clock's state
 * is the module's: each test starts later than the last ended, a step forward that clears any lead left.
 */
const clocks = (start: number) => {
  let wall = start;
  vi.spyOn(Date, 'now').mockImplementation(() => wall);
  return {
    pass: (ms: number) => {
      wall += ms;
    },
    step: (ms: number) => {
      wall += ms;
    },
    wall: () => wall,
  };
};

describe('systemClock', () => {
  it('never steps back: after a step back it runs at half pace until the wall clock catches up, then is the wall clock', () => {
    const { pass, step, wall } = clocks(1_800_000_000_000);
    const first = systemClock.now();
    pass(1000);
    expect(systemClock.now()).toBe(first + 1000);
    step(-3_600_000);
    expect(systemClock.now()).toBe(first + 1000);
    pass(2000);
    expect(systemClock.now()).toBe(first + 2000);
    // Read every millisecond, it still runs at half pace (rounding each read's half up stood it still).
    const before = systemClock.now();
    for (let tick = 0; tick < 10_000; tick += 1) {
      pass(1);
      systemClock.now();
    }
    expect(systemClock.now()).toBe(before + 5000);
    // Caught up after twice the step: the wall clock's time again, and its pace.
    pass(2 * 3_600_000);
    expect(systemClock.now()).toBe(wall());
    pass(10);
    expect(systemClock.now()).toBe(wall());
    // A step forward is taken at once.
    step(60_000);
    expect(systemClock.now()).toBe(wall());
  });

  it('gains no lead from a wall clock that jitters back and forth by milliseconds (the review)', () => {
    const { pass, step, wall } = clocks(2_000_000_000_000);
    systemClock.now();
    for (let cycle = 0; cycle < 1000; cycle += 1) {
      step(-2);
      systemClock.now();
      pass(2);
      systemClock.now();
    }
    expect(systemClock.now()).toBe(wall());
  });

  it('never steps back and gives whole milliseconds, whatever the wall clock does (property)', () => {
    const { pass } = clocks(2_100_000_000_000);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10_000_000, max: 10_000_000 }), { maxLength: 200 }), (moves) => {
        let previous = systemClock.now();
        for (const move of moves) {
          pass(move);
          const now = systemClock.now();
          expect(now).toBeGreaterThanOrEqual(previous);
          expect(Number.isInteger(now)).toBe(true);
          previous = now;
        }
      }),
    );
  });

  it('lets a 2 s cooldown end within 4 s, not after the hour the wall clock stepped back', async () => {
    const { pass, step } = clocks(3_000_000_000_000);
    const transport = createScriptedTransport({
      a: [{ status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'slow down', type: 'rate_limit_exceeded' } } }, { body: { choices: [{ index: 0, message: { content: 'ok' }, finish_reason: 'stop' }] } }],
    });
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], maxServerDelayMs: 0, admission: { enabled: false } }, { transport, clock: systemClock });
    const ask = () => router.send({ method: 'POST', path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) });
    await expect(ask()).rejects.toThrow();
    step(-3_600_000);
    // The router reads the time now and then; at half pace, the 2 s cooldown (and its jitter) takes twice as long.
    systemClock.now();
    pass(5000);
    expect((await ask()).status).toBe(200);
  });
});
