import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closedBreaker } from '../breaker/breaker';
import { classifyResponse } from '../classification/classify-response';
import { noModelCooldowns } from './model-cooldowns';
import { disableHoldMs } from './cooldown';
import { acceptedBy, claimRecheck, createRechecks, endRecheck } from './rechecks';
import { createRefusalStreaks, endRefusals, maxModelStreaks, noteRefusal, refusalsBefore, streakKey, streakOf } from './refusal-streaks';

const state = (disabledUntil: number) => ({ breaker: closedBreaker, cooldownUntil: 0, modelCooldowns: noModelCooldowns, disabledUntil, reason: undefined });

describe('refusal streaks', () => {
  it('continue after a hold ran out, not during it, and are forgotten a disableMs after the last hold', () => {
    const held = { count: 0, until: 300_000, refusedAt: 0 };
    expect(refusalsBefore(undefined, 0, 900_000)).toBe(0);
    expect(refusalsBefore(held, 299_999, 900_000)).toBe(0);
    expect(refusalsBefore(held, 300_000, 900_000)).toBe(1);
    expect(refusalsBefore(held, 300_000 + 900_000, 900_000)).toBe(1);
    expect(refusalsBefore(held, 300_001 + 900_000, 900_000)).toBe(0);
  });

  it("end with an accepted attempt that started after the latest refusal, the endpoint's and the model's", () => {
    const streaks = createRefusalStreaks();
    noteRefusal(streaks, 'a', undefined, { count: 2, until: 1, refusedAt: 10 });
    noteRefusal(streaks, 'a', 'm', { count: 1, until: 1, refusedAt: 10 });
    noteRefusal(streaks, 'a', 'n', { count: 1, until: 1, refusedAt: 10 });
    // Sent before the refusals, or in their millisecond: a generation the key was still good for.
    endRefusals(streaks, 'a', 'm', 9);
    expect([...streaks.endpoints.keys(), ...streaks.models.keys()]).toEqual(['a', streakKey('a', 'm'), streakKey('a', 'n')]);
    endRefusals(streaks, 'a', 'm', 10);
    expect(streaks.endpoints.size + streaks.models.size).toBe(3);
    endRefusals(streaks, 'a', 'm', 11);
    expect([...streaks.endpoints.keys(), ...streaks.models.keys()]).toEqual([streakKey('a', 'n')]);
  });

  it("keep at most maxModelStreaks models, the one refused longest ago dropped, and never an endpoint's own for them", () => {
    const streaks = createRefusalStreaks();
    noteRefusal(streaks, 'a', undefined, { count: 3, until: 0, refusedAt: 0 });
    for (let index = 0; index < maxModelStreaks * 2; index += 1) noteRefusal(streaks, 'a', `invented-${index}`, { count: 0, until: index, refusedAt: index });
    expect(streaks.models.size).toBe(maxModelStreaks);
    expect(streaks.models.has(streakKey('a', `invented-${maxModelStreaks * 2 - 1}`))).toBe(true);
    expect(streaks.models.has(streakKey('a', 'invented-0'))).toBe(false);
    expect(streakOf(streaks, 'a', undefined)).toMatchObject({ count: 3 });
    // `__proto__` is a model like any other.
    noteRefusal(streaks, 'a', '__proto__', { count: 3, until: 5, refusedAt: 0 });
    expect(refusalsBefore(streakOf(streaks, 'a', '__proto__'), 5, 10)).toBe(4);
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
    expect(claimRecheck(rechecks, streaks, 'a', { model: 'm', prepared: { path: '/chat/completions' } }, state(0), 10, 30)).toBeUndefined();
    expect(claimRecheck(rechecks, streaks, 'a', { model: 'm', prepared: { path: '/chat/completions' } }, state(11), 10, 30)).toBeUndefined();
    const chat = { model: 'm', prepared: { path: '/chat/completions' } };
    const claim = claimRecheck(rechecks, streaks, 'a', chat, state(10), 10, 30);
    expect(claim).toEqual({ endpoint: 'a', model: undefined, since: 10 });
    expect(claimRecheck(rechecks, streaks, 'a', chat, state(10), 39, 30)).toBe('wait');
    // A free route neither waits nor claims: its answer would settle nothing.
    expect(claimRecheck(rechecks, streaks, 'a', { ...chat, prepared: { path: '/messages/count_tokens' } }, state(10), 39, 30)).toBeUndefined();
    const late = claimRecheck(rechecks, streaks, 'a', chat, state(10), 40, 30);
    expect(late).toEqual({ endpoint: 'a', model: undefined, since: 40 });
    // The first holder's answer comes after its claim was taken over: the new holder keeps it.
    endRecheck(rechecks, claim as never, false, 41);
    expect(claimRecheck(rechecks, streaks, 'a', chat, state(10), 41, 30)).toBe('wait');
    // The holder's answer was no answer (a server error): the next request rechecks.
    endRecheck(rechecks, late as never, false, 41);
    const next = claimRecheck(rechecks, streaks, 'a', chat, state(10), 41, 30);
    expect(next).toEqual({ endpoint: 'a', model: undefined, since: 41 });
    endRecheck(rechecks, next as never, true, 42);
    expect(claimRecheck(rechecks, streaks, 'a', chat, state(10), 43, 30)).toBeUndefined();
    // A later disable that ran out is rechecked again.
    expect(claimRecheck(rechecks, streaks, 'a', chat, state(100), 100, 30)).toEqual({ endpoint: 'a', model: undefined, since: 100 });
  });

  it("let one request recheck a model whose own hold ran out, and bound the claims of a caller's invented models", () => {
    const rechecks = createRechecks();
    const streaks = createRefusalStreaks();
    noteRefusal(streaks, 'a', 'm', { count: 0, until: 10, refusedAt: 0 });
    expect(claimRecheck(rechecks, streaks, 'a', { model: 'm', prepared: { path: '/chat/completions' } }, state(0), 9, 30)).toBeUndefined();
    expect(claimRecheck(rechecks, streaks, 'a', { model: 'other', prepared: { path: '/chat/completions' } }, state(0), 10, 30)).toBeUndefined();
    expect(claimRecheck(rechecks, streaks, 'a', { model: 'm', prepared: { path: '/chat/completions' } }, state(0), 10, 30)).toEqual({ endpoint: 'a', model: 'm', since: 10 });
    expect(claimRecheck(rechecks, streaks, 'a', { model: 'm', prepared: { path: '/chat/completions' } }, state(0), 11, 30)).toBe('wait');
    for (let index = 0; index < maxModelStreaks * 2; index += 1) {
      noteRefusal(streaks, 'a', `invented-${index}`, { count: 0, until: 0, refusedAt: 0 });
      claimRecheck(rechecks, streaks, 'a', { model: `invented-${index}`, prepared: { path: '/chat/completions' } }, state(0), 1, 30);
    }
    expect(rechecks.modelClaims.size).toBeLessThanOrEqual(maxModelStreaks);
  });

  it('are settled only by an answer that costs money, or a rate limit there: a spent balance answers free routes and callers\' faults', () => {
    const classify = (status: number, body: unknown) => classifyResponse({ status, headers: {}, body: JSON.stringify(body), nowMs: 0 });
    const answered = classify(200, { choices: [] });
    const rateLimited = classify(429, { error: { code: 'rate_limit_exceeded', message: 'Rate limit reached for requests' } });
    const callersFault = classify(400, { error: { code: 'invalid_value', message: "Invalid value for 'temperature'" } });
    const spent = classify(429, { error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'quota' } });
    expect(acceptedBy(answered, '/chat/completions')).toBe(true);
    expect(acceptedBy(rateLimited, '/responses')).toBe(true);
    // Under a provider's prefix, and routes of no API it bills.
    expect(acceptedBy(answered, '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21')).toBe(true);
    expect(acceptedBy(answered, '/v1beta/models/gemini-2.5-pro:generateContent')).toBe(true);
    expect(acceptedBy(answered, '/images/generations')).toBe(true);
    expect(acceptedBy(answered, '/v1beta/models/gemini-2.5-pro:countTokens')).toBe(false);
    expect(acceptedBy(answered, '/responses/input_tokens')).toBe(false);
    expect(acceptedBy(answered, '/responses/resp_123')).toBe(false);
    expect(acceptedBy(answered, '/files')).toBe(false);
    expect(acceptedBy(answered, '/messages/count_tokens')).toBe(false);
    expect(acceptedBy(answered, '/models')).toBe(false);
    expect(acceptedBy(callersFault, '/chat/completions')).toBe(false);
    expect(acceptedBy(spent, '/chat/completions')).toBe(false);
  });
});
