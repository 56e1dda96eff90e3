import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closedBreaker } from '../breaker/breaker';
import { noModelCooldowns } from './model-cooldowns';
import { disableHoldMs } from './cooldown';
import { claimRecheck, createRechecks, endRecheck } from './rechecks';
import { createRefusalStreaks, endRefusals, maxRefusalStreaks, noteRefusal, refusalsBefore, streakKey } from './refusal-streaks';

const state = (disabledUntil: number) => ({ breaker: closedBreaker, cooldownUntil: 0, modelCooldowns: noModelCooldowns, disabledUntil, reason: undefined });

describe('refusal streaks', () => {
  it('continue after a hold ran out, not during it, and are forgotten a disableMs after the last hold', () => {
    const streaks = createRefusalStreaks();
    expect(refusalsBefore(streaks, 'a', 0, 3_600_000)).toBe(0);
    noteRefusal(streaks, 'a', { count: 0, until: 300_000 });
    expect(refusalsBefore(streaks, 'a', 299_999, 3_600_000)).toBe(0);
    expect(refusalsBefore(streaks, 'a', 300_000, 3_600_000)).toBe(1);
    expect(refusalsBefore(streaks, 'a', 300_000 + 3_600_000, 3_600_000)).toBe(1);
    expect(refusalsBefore(streaks, 'a', 300_001 + 3_600_000, 3_600_000)).toBe(0);
  });

  it("end with an answer from the endpoint, its own and the model's", () => {
    const streaks = createRefusalStreaks();
    noteRefusal(streaks, 'a', { count: 2, until: 1 });
    noteRefusal(streaks, streakKey('a', 'm'), { count: 1, until: 1 });
    noteRefusal(streaks, streakKey('a', 'n'), { count: 1, until: 1 });
    endRefusals(streaks, 'a', 'm');
    expect([...streaks.keys()]).toEqual([streakKey('a', 'n')]);
  });

  it('keep at most maxRefusalStreaks, dropping the one refused longest ago: model names are a caller\'s', () => {
    const streaks = createRefusalStreaks();
    for (let index = 0; index < maxRefusalStreaks * 2; index += 1) noteRefusal(streaks, streakKey('a', `invented-${index}`), { count: 0, until: index });
    expect(streaks.size).toBe(maxRefusalStreaks);
    expect(streaks.has(streakKey('a', `invented-${maxRefusalStreaks * 2 - 1}`))).toBe(true);
    expect(streaks.has(streakKey('a', 'invented-0'))).toBe(false);
    // `__proto__` is a model like any other.
    noteRefusal(streaks, streakKey('a', '__proto__'), { count: 3, until: 5 });
    expect(refusalsBefore(streaks, streakKey('a', '__proto__'), 5, 10)).toBe(4);
  });

  it('hold at least the first hold (or disableMs when shorter), at most disableMs, and never less after more refusals', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 2_147_483_647 }), fc.integer({ min: 1, max: 2_147_483_647 }), fc.nat(10_000), fc.nat(10_000),
      (disableMs, firstDisableMs, fewer, more) => {
        const options = { rateLimitedMs: 1000, overloadedMs: 2000, disableMs, firstDisableMs };
        const [low, high] = fewer <= more ? [fewer, more] : [more, fewer];
        const shorter = disableHoldMs(options, low);
        const longer = disableHoldMs(options, high);
        expect(shorter).toBeGreaterThanOrEqual(Math.min(firstDisableMs, disableMs));
        expect(longer).toBeLessThanOrEqual(disableMs);
        expect(longer).toBeGreaterThanOrEqual(shorter);
        expect(Number.isFinite(longer)).toBe(true);
      },
    ));
  });
});

describe('rechecks', () => {
  it('let one request recheck a disable that ran out, the rest wait until its answer or its timeout', () => {
    const rechecks = createRechecks();
    const streaks = createRefusalStreaks();
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(0), 10, 30)).toBe('pass');
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(11), 10, 30)).toBe('pass');
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(10), 10, 30)).toBe('recheck');
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(10), 39, 30)).toBe('wait');
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(10), 40, 30)).toBe('recheck');
    // Its answer was no answer (a server error): the next request rechecks.
    endRecheck(rechecks, 'a', 'm', false, 41);
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(10), 41, 30)).toBe('recheck');
    endRecheck(rechecks, 'a', 'm', true, 42);
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(10), 43, 30)).toBe('pass');
    // A later disable that ran out is rechecked again.
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(100), 100, 30)).toBe('recheck');
  });

  it("let one request recheck a model whose own hold ran out, and bound the claims of a caller's invented models", () => {
    const rechecks = createRechecks();
    const streaks = createRefusalStreaks();
    noteRefusal(streaks, streakKey('a', 'm'), { count: 0, until: 10 });
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(0), 9, 30)).toBe('pass');
    expect(claimRecheck(rechecks, streaks, 'a', 'other', state(0), 10, 30)).toBe('pass');
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(0), 10, 30)).toBe('recheck');
    expect(claimRecheck(rechecks, streaks, 'a', 'm', state(0), 11, 30)).toBe('wait');
    for (let index = 0; index < maxRefusalStreaks * 2; index += 1) {
      noteRefusal(streaks, streakKey('a', `invented-${index}`), { count: 0, until: 0 });
      claimRecheck(rechecks, streaks, 'a', `invented-${index}`, state(0), 1, 30);
    }
    expect(rechecks.inFlight.size).toBeLessThanOrEqual(maxRefusalStreaks);
  });
});
