import { describe, expect, it } from 'vitest';
import type { RouterEvent } from '../engine/events';
import { createRouter } from '../engine/router';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type ScriptedReply } from '../testing/scripted-transport';
import { driveOverload, p99 } from './drive-overload.test-support';
import type { Priority } from './request-priority';

// Issue 17 on a fake clock: one endpoint behind an honest token bucket (10 requests a second, starting empty, its
// state in OpenAI's headers) driven at 150 % of that with 20 % high, 60 % normal and 20 % low requests, each with a
// 5 s deadline. Deterministic: arrivals are evenly spaced and the upstream answers at once.

const ratePerMs = 10 / 1000;
const capacity = 10;
const deadlineMs = 5000;
const spacingMs = 67; // ≈ 15 requests a second
const arrivals = 450; // ≈ 30 s

/** The upstream: a bucket that refills continuously and says what is left, as OpenAI's headers do. */
const honestUpstream = (now: () => number) => {
  let level = 0;
  let at = 0;
  let refused = 0;
  const reply = (): ScriptedReply => {
    const time = now();
    level = Math.min(capacity, level + (time - at) * ratePerMs);
    at = time;
    const admitted = level >= 1;
    if (admitted) level -= 1;
    else refused += 1;
    const headers = {
      'x-ratelimit-limit-requests': String(capacity),
      'x-ratelimit-remaining-requests': String(Math.floor(level)),
      'x-ratelimit-reset-requests': `${Math.ceil((capacity - level) / ratePerMs)}ms`,
    };
    return admitted ? { body: chatCompletion('hi'), headers } : { status: 429, body: { error: { message: 'rate limited' } }, headers };
  };
  return { reply, refused: () => refused };
};

describe('admission under overload (150 % of one bucket, fake clock)', () => {
  it('serves within deadlines or refuses at once or as soon as hopeless, high far ahead of low, without 429s', async () => {
    const clock = createFakeClock(0);
    const upstream = honestUpstream(clock.now);
    const transport = createScriptedTransport({ a: () => upstream.reply() }, { now: clock.now });
    const router = createRouter(
      { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], deadlineMs } as RouterOptionsInput,
      { transport, clock, sleep: clock.sleep, random: () => 0.5 },
    );
    const events: RouterEvent[] = [];
    router.subscribe((event) => events.push(event));
    const body = JSON.stringify({ model: 'gpt-4.1', max_tokens: 10, messages: [{ role: 'user', content: 'hello' }] });
    const outcomes = await driveOverload({
      clock, arrivals, spacingMs, drainMs: deadlineMs + 1000,
      send: (_index, priority) => router.send({ path: '/chat/completions', body, priority }),
    });

    expect(outcomes).toHaveLength(arrivals);
    // Every reservation, the queue's included, was settled or refunded; no one is left waiting.
    expect(router.admission()).toMatchObject({ total: 0, reserved: 0 });
    const served = outcomes.filter((outcome) => outcome.ok);
    const refused = outcomes.filter((outcome) => !outcome.ok);
    // Nothing is held to its deadline: every failure is a refusal (503), on arrival or as soon as it was hopeless.
    expect(refused.every((outcome) => outcome.code === 'no_endpoint_available')).toBe(true);
    const dismissed = events.filter((event) => event.type === 'admission-refuse' && event.reason === 'hopeless').length;
    expect(refused.filter((outcome) => outcome.end > outcome.start).length).toBeLessThanOrEqual(dismissed);
    expect(events.some((event) => event.type === 'admission-dequeue' && event.exit === 'timeout')).toBe(false);
    expect(served.every((outcome) => outcome.end - outcome.start <= deadlineMs)).toBe(true);
    // Every refill is used: the bucket admits 10 a second over the ≈ 30 s of load.
    expect(served.length).toBeGreaterThanOrEqual(0.95 * ((arrivals * spacingMs) / 1000) * 10);
    expect(upstream.refused()).toBeLessThanOrEqual(1);
    // Waits after a warm-up second: the very first request meets an empty bucket no one has reported yet.
    const wait = (priority: Priority) =>
      p99(served.filter((outcome) => outcome.priority === priority && outcome.start >= 1000).map((outcome) => outcome.end - outcome.start));
    expect(wait('high')).toBeLessThanOrEqual(wait('low') / 5);
  }, 60_000);
});
