import { afterEach, describe, expect, it, vi } from 'vitest';
import { createScriptedTransport } from '../testing/scripted-transport';
import { createRouter } from '../engine/router';
import { systemClock } from './system-clock';

// The fourteenth attack: a wall clock stepped back an hour held a 2 s cooldown for the hour.

afterEach(() => vi.restoreAllMocks());

/** A wall clock and a monotonic one, both under the test's hand: `pass` moves both, `step` the wall clock alone. */
const clocks = (start: number) => {
  let wall = start;
  let monotonic = 5000;
  vi.spyOn(Date, 'now').mockImplementation(() => wall);
  vi.spyOn(performance, 'now').mockImplementation(() => monotonic);
  return {
    pass: (ms: number) => {
      wall += ms;
      monotonic += ms;
    },
    step: (ms: number) => {
      wall += ms;
    },
  };
};

describe('systemClock', () => {
  it('never steps back: after a wall clock stepped back, time runs on at the monotonic rate from where it was', () => {
    const { pass, step } = clocks(1_800_000_000_000);
    const first = systemClock.now();
    pass(1000);
    expect(systemClock.now()).toBe(first + 1000);
    step(-3_600_000);
    expect(systemClock.now()).toBe(first + 1000);
    pass(2500);
    expect(systemClock.now()).toBe(first + 3500);
    // A step forward is taken.
    step(3_660_000);
    expect(systemClock.now()).toBe(first + 63_500);
    pass(10);
    expect(systemClock.now()).toBe(first + 63_510);
  });

  it('lets a 2 s cooldown end after 2 s, not after the hour the wall clock stepped back', async () => {
    const { pass, step } = clocks(1_900_000_000_000);
    const transport = createScriptedTransport({
      a: [{ status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'slow down', type: 'rate_limit_exceeded' } } }, { body: { choices: [{ index: 0, message: { content: 'ok' }, finish_reason: 'stop' }] } }],
    });
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], maxServerDelayMs: 0, admission: { enabled: false } }, { transport, clock: systemClock });
    const ask = () => router.send({ method: 'POST', path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) });
    await expect(ask()).rejects.toThrow();
    step(-3_600_000);
    pass(3000);
    expect((await ask()).status).toBe(200);
  });
});
