import { describe, expect, it } from 'vitest';
import type { Transport, TransportResponse } from '../ports/transport';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// Attack 23, finding B: the admission queue's wake-up timer outlives its last waiter when that waiter is granted by a
// pump other than the timer's (another request settling with a fresh quota reading). `remove` cancels the timer when
// the last waiter leaves by abort, shutdown or refusal (admission-queue.ts:136, "a timer left set held a process that
// was closing open until quota came back"); a grant in `pump` (admission-queue.ts:222-229) does not.

const flush = async () => {
  for (let i = 0; i < 30; i += 1) await Promise.resolve();
};

describe('attack 23 B: no timer is left once every request has settled', () => {
  it('a queued request granted by a settle leaves the queue timer set', async () => {
    const clock = createFakeClock();
    const held: { resolve: (r: TransportResponse) => void; remaining: string }[] = [];
    const answer = (remaining: string): TransportResponse => {
      const body = new TextEncoder().encode(JSON.stringify(chatCompletion('hi')));
      return {
        status: 200,
        headers: {
          'content-type': 'application/json', 'x-ratelimit-limit-requests': '5', 'x-ratelimit-remaining-requests': remaining,
          'x-ratelimit-reset-requests': '10s',
        },
        body: (async function* () { yield body; })(), cancel: () => undefined,
      };
    };
    const remainingByCall = ['0', '4', '4'];
    let calls = 0;
    const transport: Transport = () => {
      const remaining = remainingByCall[calls++]!;
      return new Promise((resolve) => held.push({ resolve, remaining }));
    };
    const router = createRouter(
      { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], admission: { maxQueueMs: 30_000 }, deadlineMs: 60_000 },
      { transport, clock, random: () => 0 },
    );
    const events: RouterEvent[] = [];
    router.subscribe((event) => events.push(event));
    const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };

    // Two requests in flight before admission knows anything.
    const first = router.send(chat);
    const second = router.send(chat);
    await flush();
    expect(held).toHaveLength(2);
    // The first answers: 0 requests left, for 10 s.
    clock.advance(10);
    held[0]!.resolve(answer(held[0]!.remaining));
    await first;
    // A third request has no quota: it queues, and the queue sets a timer for when quota comes back.
    const third = router.send(chat);
    await flush();
    const queued = events.filter((e) => e.type === 'admission-queue').length;
    expect(clock.pendingTimers).toBeGreaterThan(0);
    // The second answers with a fresh reading (4 left): its settle pumps the queue and the third is granted at once.
    clock.advance(10);
    held[1]!.resolve(answer(held[1]!.remaining));
    await second;
    await flush();
    expect(held).toHaveLength(3);
    held[2]!.resolve(answer(held[2]!.remaining));
    await third;
    await flush();
    await router.idle();
    expect(queued).toBe(1);
    // The law: once every request has settled, nothing is scheduled. A timer here is a real setTimeout (not unref'd)
    // on the system clock: it holds a process that is closing for up to the quota's reset.
    expect(clock.pendingTimers).toBe(0);
  });
});
