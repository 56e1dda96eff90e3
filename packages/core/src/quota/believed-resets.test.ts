import { describe, expect, it } from 'vitest';
import { createRouter } from '../engine/router';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript } from '../testing/scripted-transport';

// Attack 24, S5: one success whose headers said "none left for 24 hours", amid truthful answers, refused every request
// to its endpoint for 12 minutes; admission sent nothing that could have shown it wrong. A reset that puts the same
// limit's refill more than ten times further away than believed readings taught is now doubted once, unless a 429
// says it (docs/quota.md).

const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] }) };
const truthful = {
  'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': '590', 'x-ratelimit-reset-requests': '1s',
  'x-ratelimit-limit-tokens': '150000', 'x-ratelimit-remaining-tokens': '140000', 'x-ratelimit-reset-tokens': '4s',
};
const spentForADay = (dimension: 'requests' | 'tokens') => ({ ...truthful, [`x-ratelimit-remaining-${dimension}`]: '0', [`x-ratelimit-reset-${dimension}`]: '24h' });

const setup = (scripts: Record<string, EndpointScript>) => {
  const clock = createFakeClock(0);
  const transport = createScriptedTransport(scripts, { now: clock.now });
  const endpoints = Object.keys(scripts).map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, priority }));
  const router = createRouter({ endpoints, admission: { maxQueueMs: 0 } }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  return { clock, transport, router };
};

/**
 * `count` requests two seconds apart (a normal request leaves a second of refill for higher classes, so one a
 * second just after a spent reading waits 44 ms, and is refused with no queue): which endpoint served each.
 */
const sendEvery2s = async ({ clock, router }: ReturnType<typeof setup>, count: number) => {
  const served: (string | undefined)[] = [];
  for (let index = 0; index < count; index += 1) {
    served.push(await router.send(chat).then((response) => response.endpoint, () => undefined));
    clock.advance(2000);
  }
  return served;
};

describe("a reset far longer than the last reading taught, on an answer that did not refuse", () => {
  for (const dimension of ['requests', 'tokens'] as const) {
    it(`does not hold a lone endpoint when one success says its ${dimension} are spent for a day`, async () => {
      const world = setup({ a: (_request, count) => ({ body: chatCompletion('hi'), headers: count === 3 ? spentForADay(dimension) : truthful }) });
      const served = await sendEvery2s(world, 120);
      // Before: every request from the fourth on was refused for minutes (a request spends 1 of 600 a day).
      expect(served.filter((endpoint) => endpoint === 'a').length).toBe(120);
    });

    it(`asks once, then believes the 429 that says the ${dimension} really are spent`, async () => {
      const refusal = { status: 429, headers: spentForADay(dimension), body: { error: { message: `Rate limit reached for gpt-4.1 on ${dimension} per day. Please try again in 24h.`, type: dimension, code: 'rate_limit_exceeded' } } };
      const world = setup({
        a: (_request, count) => (count < 3 ? { body: chatCompletion('hi'), headers: truthful } : count === 3 ? { body: chatCompletion('hi'), headers: spentForADay(dimension) } : refusal),
        b: [{ body: chatCompletion('hi') }],
      });
      const served = await sendEvery2s(world, 300);
      expect(served.every((endpoint) => endpoint !== undefined)).toBe(true);
      // The spending answer, then one request that drew the 429, in ten minutes.
      expect(world.transport.calls.filter((call) => call.request.endpoint === 'a').length).toBe(4);
    });
  }

  it("tells the fleet the reading it believed: another gateway is not held either", async () => {
    const clock = createFakeClock(0);
    const store = createMemoryStore();
    const transport = createScriptedTransport({ a: (_request, count) => ({ body: chatCompletion('hi'), headers: count === 2 ? spentForADay('requests') : truthful }) }, { now: clock.now });
    const gateway = () =>
      createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], admission: { maxQueueMs: 0 } }, { transport, clock, sleep: clock.sleep, random: () => 0.5, store });
    const [first, second] = [gateway(), gateway()];
    await first.send(chat);
    clock.advance(1000);
    await first.send(chat);
    clock.advance(1000);
    // Its next request reports the reading to the fleet (then goes ahead, or is refused, by what it believed). The
    // second gateway has read nothing of its own: it believes what it is told.
    await first.send(chat).catch(() => undefined);
    clock.advance(1000);
    const served = await sendEvery2s({ clock, router: second, transport }, 60);
    // Before: the second gateway adopted the day and was refused for the minute.
    expect(served.filter((endpoint) => endpoint === 'a').length).toBe(60);
  });

  // The review of a first fix, which believed every success's reset up to a minute: a key truly spent for 14 hours,
  // its limit refilled in a minute, took a burst of 50 a little later whole (50 429s, where 5 was right).
  it('sends a burst no more than the stated refill allows when the first reading says the key is spent', async () => {
    const spent = { 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '14h' };
    const refusal = { status: 429, headers: spent, body: { error: { message: 'Rate limit reached for gpt-4.1 on requests per day (RPD): Limit 10000, Used 10000, Requested 1. Please try again in 14h.', type: 'requests', code: 'rate_limit_exceeded' } } };
    const world = setup({ a: (_request, count) => (count === 1 ? { body: chatCompletion('hi'), headers: spent } : refusal), b: [{ body: chatCompletion('hi') }] });
    await world.router.send(chat);
    world.clock.advance(30_000);
    const served = await Promise.all(Array.from({ length: 50 }, () => world.router.send(chat).then((response) => response.endpoint, () => undefined)));
    expect(served.every((endpoint) => endpoint !== undefined)).toBe(true);
    // 30 s of a 14-hour refill of 10,000, less the second a normal request leaves for high ones: 5.
    expect(world.transport.callsTo('a').length - 1).toBeLessThanOrEqual(5);
  });
});
