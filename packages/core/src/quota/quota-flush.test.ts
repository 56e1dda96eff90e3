import { describe, expect, it } from 'vitest';
import { createRouter } from '../engine/router';
import { createSleep } from '../ports/sleep';
import type { QuotaShare, StateStore } from '../ports/state-store';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport } from '../testing/scripted-transport';

// Attack 19, F3: the report of the last `fleetSyncMs` waited on its timer and was never sent when the process
// stopped; with `limits.rpm: 10`, a gateway restarted right after 10 requests served 9 more at once.

const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };

const setup = (exchangeMs: number) => {
  const clock = createFakeClock(0);
  const sleep = createSleep(clock);
  const shared = createMemoryStore();
  const reports: QuotaShare[][] = [];
  const store: StateStore = {
    ...shared,
    exchangeQuota: (report, now) => {
      reports.push([...report]);
      return sleep(exchangeMs).then(() => shared.exchangeQuota!(report, now));
    },
  };
  const router = createRouter(
    { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits: { rpm: 10 } }], admission: { fleetSyncMs: 250 } },
    { transport: createScriptedTransport({ a: [{ body: chatCompletion('ok') }] }), clock, sleep, random: () => 0.5, store },
  );
  const spent = () => reports.flat().reduce((sum, share) => sum + (share.spent.requests ?? 0), 0);
  return { clock, router, reports, spent };
};

describe('Router.flush', () => {
  it('sends the spend waiting for the next exchange at once, without waiting out fleetSyncMs', async () => {
    const { clock, router, spent } = setup(5);
    for (let index = 0; index < 10; index += 1) await router.send(chat);
    // The first request's exchange went out at once; the other nine wait on the trailing timer.
    expect(spent()).toBeLessThan(10);
    let done = false;
    const flushed = router.flush().then(() => {
      done = true;
    });
    // The store answers each exchange 5 ms later; the clock moves no further than that takes.
    for (let step = 0; step < 10 && !done; step += 1) {
      clock.advance(5);
      // The answer's continuations run before the clock moves again.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await flushed;
    expect(clock.now()).toBeLessThan(250);
    expect(spent()).toBe(10);
  });

  it('waits for an exchange under way, and gives up on a store that never answers within a second', async () => {
    const { clock, router, reports } = setup(60_000);
    await router.send(chat);
    await router.send(chat);
    let done = false;
    const flushed = router.flush().then(() => {
      done = true;
    });
    clock.advance(999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    clock.advance(1);
    await flushed;
    expect(done).toBe(true);
    expect(reports).toHaveLength(1);
  });

  it('costs nothing on the router\'s own store', async () => {
    const clock = createFakeClock(0);
    const router = createRouter(
      { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits: { rpm: 10 } }] },
      { transport: createScriptedTransport({ a: [{ body: chatCompletion('ok') }] }), clock, random: () => 0.5 },
    );
    await router.send(chat);
    await expect(router.flush()).resolves.toBeUndefined();
  });
});
