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

  it('disables an endpoint for the long window on quota and auth failures', () => {
    expect(decide(429, { error: { code: 'insufficient_quota', type: 'insufficient_quota', message: 'quota' } })).toMatchObject({ type: 'disable', until: now + options.disableMs });
    expect(decide(401, { error: { code: 'invalid_api_key', message: 'bad key' } })).toMatchObject({ type: 'disable', until: now + options.disableMs });
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
