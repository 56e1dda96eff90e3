import { describe, expect, it } from 'vitest';
import { createRouter } from '../engine/router';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type ScriptedReply } from '../testing/scripted-transport';
import { spendOf, takeFrom } from './quota-bucket';
import { readQuotaHeaders } from './read-quota-headers';
import { createQuotaTracker } from './quota-tracker';

// The sixth attack: one reading that no provider could mean, followed by answers without rate-limit headers (so
// nothing ever corrects it), shut a model out of its endpoint for good, or for minutes per request.

const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] }) };
const ok: ScriptedReply = { body: chatCompletion('hi') };
const reading = (headers: Record<string, string>): ScriptedReply => ({ body: chatCompletion('hi'), headers });

const setup = (first: ScriptedReply) => {
  const clock = createFakeClock(0);
  const transport = createScriptedTransport({ a: [first, ok] }, { now: clock.now });
  const router = createRouter(
    { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], admission: { maxQueueMs: 0 } },
    { transport, clock, sleep: clock.sleep, random: () => 0.5 },
  );
  return { clock, transport, router };
};

/** Requests sent one a second for `seconds`; how many reached the upstream. */
const servedOver = async ({ clock, router, transport }: ReturnType<typeof setup>, seconds: number) => {
  for (let second = 0; second < seconds; second += 1) {
    await router.send(chat).catch(() => undefined);
    clock.advance(1000);
  }
  return transport.calls.length;
};

describe('readings no provider could mean', () => {
  it("refills a new limit by its own window, not by a rate learned for another (attack 13)", () => {
    // Limit 2 with a reset a day away, then limit 1,000,000 at 0 with no reset: the day's rate was kept, and the
    // bucket of a million took a million days to refill (`Retry-After: 86400` after two upstream requests).
    const tracker = createQuotaTracker();
    tracker.observe('a', 'm', { requests: { remaining: 1, limit: 2, resetMs: 999_999 * 3_600_000 } }, 0);
    tracker.observe('a', 'm', { requests: { remaining: 0, limit: 1_000_000, resetMs: undefined } }, 1);
    expect(tracker.waitMs('a', 'm', { requests: 1, inputTokens: 0, outputTokens: 0 }, 1)).toBeLessThan(1000);
    expect(tracker.resetsIn(1).get('a')?.requests).toBeLessThanOrEqual(86_400_000);
  });

  it('keeps the window a daily limit taught when the limit jitters without a reset (the review)', () => {
    // Reset to the minute's guess on a change of 1, a daily limit of 1,000 was admitted about 730 times too fast.
    const tracker = createQuotaTracker();
    tracker.observe('a', 'm', { requests: { remaining: 1, limit: 1000, resetMs: 12 * 3_600_000 } }, 0);
    tracker.observe('a', 'm', { requests: { remaining: 0, limit: 1001, resetMs: undefined } }, 1);
    expect(tracker.waitMs('a', 'm', { requests: 1, inputTokens: 0, outputTokens: 0 }, 1)).toBeGreaterThan(40_000);
  });

  it('reads a limit of 0 as unknown', () => {
    const observation = readQuotaHeaders({ 'x-ratelimit-limit-requests': '0', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' }, 0);
    expect(observation.requests).toEqual({ remaining: 0, limit: undefined, resetMs: 1000 });
  });

  it('does not shut a model out for good after one limit-0 reading', async () => {
    const served = await servedOver(setup(reading({ 'x-ratelimit-limit-requests': '0', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' })), 10);
    expect(served).toBeGreaterThanOrEqual(9);
  });

  it('charges a request larger than the whole bucket the bucket, not hundreds of units past it', async () => {
    const bucket = { capacity: 1, level: 1, ratePerMs: 1 / 1000, at: 0 };
    expect(spendOf(bucket, 360)).toBe(1);
    expect(takeFrom(bucket, 360, 0).level).toBe(0);
    expect(takeFrom(bucket, -5, 0).level).toBe(1);
    // One reading of a 1-token limit that refills each second: a request a second still goes through.
    const served = await servedOver(setup(reading({ 'x-ratelimit-limit-tokens': '1', 'x-ratelimit-remaining-tokens': '1', 'x-ratelimit-reset-tokens': '1s' })), 20);
    expect(served).toBeGreaterThanOrEqual(10);
  });

  // A review of the fix: the charge was capped, the refund was not.
  it('gives back an oversized reservation no more than it was charged, so it costs what it spent', () => {
    const tracker = createQuotaTracker({ limits: new Map([['a', { tpm: 1000 }]]) });
    const small = tracker.reserve('a', 'm', { requests: 1, inputTokens: 300, outputTokens: 0 }, 0);
    const large = tracker.reserve('a', 'm', { requests: 1, inputTokens: 1000, outputTokens: 4000 }, 0);
    expect(tracker.remaining(0).get('a')?.tokens).toBe(0);
    // The large one never reached the provider: the small one's 300 are still spent.
    tracker.settle(large, { reached: false }, 0);
    expect(tracker.remaining(0).get('a')?.tokens).toBe(700);
    tracker.settle(small, { reached: true, inputTokens: 300, outputTokens: 0 }, 0);
    const served = tracker.reserve('a', 'm', { requests: 1, inputTokens: 1000, outputTokens: 4000 }, 0);
    tracker.settle(served, { reached: true, inputTokens: 1000, outputTokens: 50 }, 0);
    expect(tracker.remaining(0).get('a')?.tokens).toBe(0);
  });
});
