import { describe, expect, it } from 'vitest';
import { classifyResponse } from '../classification/classify-response';
import { cooldownSchema } from '../options/router-options-schema';
import { decideCooldown, laterDeadline } from './cooldown';

const options = cooldownSchema.parse({});
const now = 1_000_000;
const decide = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  decideCooldown(classifyResponse({ status, headers, body: JSON.stringify(body), nowMs: now }), { now, model: 'gpt-4.1', options, random: () => 0 });

describe('cooldowns', () => {
  it('cools the model on that endpoint until the provider\'s reset', () => {
    expect(decide(429, { error: { code: 'rate_limit_exceeded', message: 'slow' } }, { 'retry-after': '2' })).toEqual({
      type: 'cool', until: now + 2000, model: 'gpt-4.1', reason: expect.any(String),
    });
  });

  it('never returns earlier than the reset, jitter only stretches it', () => {
    const stretched = decideCooldown(
      classifyResponse({ status: 429, headers: { 'retry-after': '2' }, body: '', nowMs: now }),
      { now, model: undefined, options, random: () => 0.99 },
    );
    expect(stretched.type === 'cool' && stretched.until).toBeGreaterThanOrEqual(now + 2000);
    expect(stretched.type === 'cool' && stretched.until).toBeLessThanOrEqual(now + 2200);
  });

  it('disables an endpoint on quota and auth failures with no reset: first for firstDisableMs, doubled with each refusal in a row, up to disableMs (5, 10, 15 min)', () => {
    expect(decide(429, { error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'quota' } })).toMatchObject({ type: 'disable', until: now + 300_000 });
    expect(decide(401, { error: { code: 'invalid_api_key', message: 'bad key' } })).toMatchObject({ type: 'disable', until: now + options.firstDisableMs });
    const refused = classifyResponse({ status: 401, headers: {}, body: JSON.stringify({ error: { code: 'invalid_api_key', message: 'bad key' } }), nowMs: now });
    const holds = (cooldown: typeof options) => [0, 1, 2, 3, 4, 5, 60, 5000].map((refusals) => {
      const decision = decideCooldown(refused, { now, model: undefined, options: cooldown, random: () => 0, refusals });
      return decision.type === 'disable' ? (decision.until - now) / 60_000 : undefined;
    });
    expect(holds(options)).toEqual([5, 10, 15, 15, 15, 15, 15, 15]);
    expect(holds({ ...options, disableMs: 3_600_000 })).toEqual([5, 10, 20, 40, 60, 60, 60, 60]);
    // Options of a caller's own, from before firstDisableMs: the one fixed hold.
    const own = { rateLimitedMs: 1000, overloadedMs: 2000, disableMs: 3_600_000 };
    expect(decideCooldown(refused, { now, model: undefined, options: own, random: () => 0 })).toMatchObject({ until: now + 3_600_000 });
    // A firstDisableMs longer than disableMs: disableMs, the ceiling.
    expect(decideCooldown(refused, { now, model: undefined, options: { ...own, disableMs: 60_000, firstDisableMs: 300_000 }, random: () => 0 })).toMatchObject({ until: now + 60_000 });
  });

  it("waits out a quota's known reset, however many refusals came before", () => {
    const reset = classifyResponse({ status: 429, headers: {}, body: JSON.stringify({ error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'quota' } }), nowMs: now });
    const withReset = { ...reset, delayMs: 7_200_000 };
    expect(decideCooldown(withReset, { now, model: undefined, options, random: () => 0, refusals: 0 })).toMatchObject({ type: 'disable', until: now + 7_200_000 });
  });

  it('steps an overloaded endpoint out softly when its server names no delay: a guess, not a signal', () => {
    expect(decide(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toMatchObject({ type: 'cool', model: undefined, until: now + options.overloadedMs, soft: true });
    expect(decide(503, { error: { code: 'server_is_overloaded', message: 'busy' } })).toMatchObject({ type: 'cool', soft: true });
  });

  it('cools the whole endpoint for the delay an overloaded server names, at least overloadedMs', () => {
    const named = decide(503, { error: { code: 'server_is_overloaded', message: 'busy' } }, { 'retry-after': '3' });
    expect(named).toEqual({ type: 'cool', model: undefined, until: now + 3000, reason: expect.any(String) });
    expect(decide(503, { error: { code: 'server_is_overloaded', message: 'busy' } }, { 'retry-after': '1' })).toMatchObject({ until: now + options.overloadedMs });
  });

  it('takes no step at all with overloadedMs 0 and no named delay', () => {
    const decision = decideCooldown(
      classifyResponse({ status: 529, headers: {}, body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }), nowMs: now }),
      { now, model: 'gpt-4.1', options: { ...options, overloadedMs: 0 }, random: () => 0 },
    );
    expect(decision).toEqual({ type: 'none' });
  });

  it('does nothing for request errors and plain server errors', () => {
    expect(decide(400, { error: { code: 'invalid_value', message: 'bad' } })).toEqual({ type: 'none' });
    expect(decide(500, { error: { message: 'oops' } })).toEqual({ type: 'none' });
  });

  it('keeps the later of two deadlines', () => {
    expect(laterDeadline(5000, 3000)).toBe(5000);
    expect(laterDeadline(undefined, 3000)).toBe(3000);
  });
});
