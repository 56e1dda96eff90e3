import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

const ok = (content: string): ScriptedReply => ({ body: chatCompletion(content) });
const rateLimited = (seconds: number): ScriptedReply => ({
  status: 429,
  headers: { 'retry-after': String(seconds) },
  body: { error: { message: 'Rate limit reached.', type: 'requests', code: 'rate_limit_exceeded' } },
});
const serverError: ScriptedReply = { status: 500, body: { error: { message: 'The server had an error', type: 'server_error' } } };
const chat = {
  path: '/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }] }),
};

const setup = (scripts: Record<string, EndpointScript>, priorities: Record<string, number>, options: Partial<RouterOptionsInput> = {}, random = () => 0.5) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const endpoints = Object.keys(scripts).map((name) => ({ name, baseUrl: `https://${name}.example/v1`, priority: priorities[name] ?? 0 }));
  const router = createRouter({ endpoints, ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random });
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  const start = clock.now();
  const timeline = () => transport.calls.map((call) => [call.request.endpoint, call.at - start]);
  return { clock, transport, router, events, timeline };
};

describe('preferWaitMs', () => {
  it('default 0: a 429 with Retry-After: 2 on tier 0 fails over to tier 1 at once', async () => {
    const { router, clock, timeline } = setup({ cheap: [rateLimited(2), ok('cheap')], dear: [ok('dear')] }, { cheap: 0, dear: 1 });
    const result = await router.send(chat);
    expect(result.endpoint).toBe('dear');
    expect(timeline()).toEqual([['cheap', 0], ['dear', 0]]);
    expect(clock.sleeps).toEqual([]);
  });

  it('3000: the same 429 is retried on tier 0 after ≈ 2 s, not sooner, and tier 1 is never asked', async () => {
    const { router, clock, timeline, events } = setup(
      { cheap: [rateLimited(2), ok('cheap')], dear: [ok('dear')] },
      { cheap: 0, dear: 1 },
      { preferWaitMs: 3000 },
    );
    const result = await router.send(chat);
    expect(result.endpoint).toBe('cheap');
    const [[, first], [secondEndpoint, second]] = timeline() as [[string, number], [string, number]];
    expect(secondEndpoint).toBe('cheap');
    expect(second - first).toBeGreaterThanOrEqual(2000);
    // The server's delay, plus at most 10 % jitter on the cooldown and this request's own spread of its wait (10 %).
    expect(second - first).toBeLessThanOrEqual(2420);
    expect(timeline()).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(events.find((event) => event.type === 'retry-wait')).toMatchObject({ endpoint: 'cheap', reason: expect.stringContaining('preferring a better tier') });
    expect(result.attempts.map((attempt) => attempt.endpoint)).toEqual(['cheap', 'cheap']);
  });

  it('a request arriving while tier 0 cools down after a 429 waits for it too (default: goes to tier 1)', async () => {
    const scripts = () => ({ cheap: [rateLimited(2), ok('cheap'), ok('cheap')], dear: [ok('dear'), ok('dear')] });
    const fresh = setup(scripts(), { cheap: 0, dear: 1 }, { preferWaitMs: 3000 });
    const first = fresh.router.send(chat);
    const second = fresh.router.send(chat); // arrives at once, while tier 0 is cooling
    expect((await first).endpoint).toBe('cheap');
    expect((await second).endpoint).toBe('cheap');
    expect(fresh.transport.callsTo('dear')).toHaveLength(0);
    const today = setup(scripts(), { cheap: 0, dear: 1 });
    await today.router.send(chat);
    expect((await today.router.send(chat)).endpoint).toBe('dear');
  });

  it('a request that waits for a cooling tier before any failure of its own says so', async () => {
    // Admission off: with it, the second request queues for the quota the 429 spent, which is no retry wait.
    const { router, events } = setup({ cheap: [rateLimited(2), ok('cheap'), ok('cheap')], dear: [ok('dear')] }, { cheap: 0, dear: 1 }, { preferWaitMs: 3000, admission: { enabled: false } });
    // The second request arrives as the first's 429 sets the cooldown, before the first sleeps (the fake clock's
    // sleep moves time at once).
    let second: Promise<unknown> | undefined;
    router.subscribe((event) => {
      if (event.type === 'cooldown-start') second ??= router.send(chat);
    });
    expect((await router.send(chat)).endpoint).toBe('cheap');
    expect(await second).toMatchObject({ endpoint: 'cheap' });
    // Before, the second's wait read "preferring a better tier after " and nothing.
    expect(events.filter((event) => event.type === 'retry-wait').map((event) => [event.endpoint, event.reason])).toEqual([
      [undefined, 'preferring a better tier while it cools down'],
      ['cheap', expect.stringMatching(/^preferring a better tier after HTTP 429/)],
    ]);
  });

  it('a wait longer than what is left of preferWaitMs, or past the deadline, is not taken: tier 1 at once', async () => {
    const short = setup({ cheap: [rateLimited(2), ok('cheap')], dear: [ok('dear')] }, { cheap: 0, dear: 1 }, { preferWaitMs: 1000 });
    expect((await short.router.send(chat)).endpoint).toBe('dear');
    expect(short.clock.sleeps).toEqual([]);
    const tight = setup({ cheap: [rateLimited(2), ok('cheap')], dear: [ok('dear')] }, { cheap: 0, dear: 1 }, { preferWaitMs: 3000, deadlineMs: 1500 });
    expect((await tight.router.send(chat)).endpoint).toBe('dear');
    expect(tight.clock.sleeps).toEqual([]);
  });

  it('the wait is a budget per request: a second 429 after the first wait drops the tier', async () => {
    const { router, timeline } = setup(
      { cheap: [rateLimited(2), rateLimited(2), ok('cheap')], dear: [ok('dear')] },
      { cheap: 0, dear: 1 },
      { preferWaitMs: 3000 },
    );
    expect((await router.send(chat)).endpoint).toBe('dear');
    expect(timeline().map(([name]) => name)).toEqual(['cheap', 'cheap', 'dear']);
  });

  it('retries a single transient 5xx once on the same endpoint, then fails over on the next', async () => {
    const once = setup({ primary: [serverError, ok('primary')], sibling: [ok('sibling')] }, {}, { preferWaitMs: 3000 });
    expect((await once.router.send(chat)).endpoint).toBe('primary');
    expect(once.timeline().map(([name]) => name)).toEqual(['primary', 'primary']);
    const twice = setup({ primary: [serverError, serverError, ok('primary')], sibling: [ok('sibling')] }, {}, { preferWaitMs: 3000 });
    expect((await twice.router.send(chat)).endpoint).toBe('sibling');
    expect(twice.timeline().map(([name]) => name)).toEqual(['primary', 'primary', 'sibling']);
    const today = setup({ primary: [serverError, ok('primary')], sibling: [ok('sibling')] }, {});
    expect((await today.router.send(chat)).endpoint).toBe('sibling');
  });

  it('spreads the requests waiting on one cooldown, so they do not all return in the same millisecond (tenth attack)', async () => {
    // Before, every request waiting for tier 0 woke at the cooldown's one end and asked it in the same millisecond.
    const clock = createFakeClock();
    const transport = createScriptedTransport({ cheap: [rateLimited(2), ok('cheap')], dear: [ok('dear')] }, { now: clock.now });
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const router = createRouter(
      { endpoints: [{ name: 'cheap', baseUrl: 'https://cheap.example/v1' }, { name: 'dear', baseUrl: 'https://dear.example/v1', priority: 1 }], preferWaitMs: 3000 } as RouterOptionsInput,
      // A sleep that waits for the clock to be moved, so that the requests wait side by side.
      { transport, clock, sleep: (ms) => new Promise((resolve) => clock.schedule(resolve, ms)), random },
    );
    const start = clock.now();
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    const first = router.send(chat);
    await settle();
    const waiting = Array.from({ length: 5 }, () => router.send(chat));
    await settle();
    for (let ms = 0; ms < 3000; ms += 5) {
      clock.advance(5);
      await settle();
    }
    await Promise.all([first, ...waiting]);
    const returns = transport.callsTo('cheap').slice(1).map((call) => call.at - start);
    // One cooldown end (2 s and its 10 % jitter) for all six; each waits for it plus its own draw of up to 10 % (the
    // clock moves in 5 ms steps here).
    expect(returns).toHaveLength(6);
    expect(new Set(returns).size).toBeGreaterThanOrEqual(4);
    expect(Math.min(...returns)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...returns) - Math.min(...returns)).toBeGreaterThan(50);
    expect(transport.callsTo('dear')).toHaveLength(0);
  });
});
