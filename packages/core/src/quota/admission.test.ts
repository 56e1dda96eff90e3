import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouterEvent } from '../engine/events';
import { createRouter } from '../engine/router';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import type { RouterOptionsInput } from '../options/router-options-schema';
import type { StateStore } from '../ports/state-store';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';

// Issue 17: admission from quota. Every test runs on a fake clock; the queue's timers fire as it advances.

const chat = (extra: Record<string, unknown> = {}) => ({
  path: '/chat/completions',
  body: JSON.stringify({ model: 'gpt-4.1', max_tokens: 10, messages: [{ role: 'user', content: 'hello' }], ...extra }),
});
const delta = (text: string) => JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
const ok: ScriptedReply = { body: chatCompletion('hi') };
const limits = (remaining: number, limit = 10, reset = '6s'): ScriptedReply => ({
  body: chatCompletion('hi'),
  headers: { 'x-ratelimit-limit-requests': String(limit), 'x-ratelimit-remaining-requests': String(remaining), 'x-ratelimit-reset-requests': reset },
});

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}) => {
  const clock = createFakeClock(0);
  const transport = createScriptedTransport(scripts, { now: clock.now });
  const endpoints = Object.keys(scripts).map((name) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}` }));
  const router = createRouter({ endpoints, ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, transport, router, events };
};

const drain = async (stream: AsyncIterable<Uint8Array>) => {
  for await (const _ of stream) void _;
};
const settled = (promise: Promise<unknown>) => promise.then(() => undefined, () => undefined);
// Lets queued requests run to their next await.
const ticks = async (count = 20) => {
  for (let index = 0; index < count; index += 1) await Promise.resolve();
};

describe('admission', () => {
  it('sends proportionally less to an endpoint whose headers say it is nearly spent', async () => {
    const { router, transport } = setup({ a: [limits(1, 10, '6s'), ok], b: [ok] });
    expect((await router.send(chat())).endpoint).toBe('a');
    for (let index = 0; index < 10; index += 1) await router.send(chat());
    // Equal weights would have sent it five more; with one request in ten left it gets at most one.
    expect(transport.callsTo('a').length).toBeLessThanOrEqual(2);
  });

  it('queues a request until configured limits refill, instead of failing fast', async () => {
    const local = createRouterWithLimits();
    expect((await local.router.send(chat())).endpoint).toBe('a');
    const queued = local.router.send(chat());
    await ticks();
    expect(local.router.admission()?.total).toBe(1);
    expect(local.transport.calls).toHaveLength(1);
    // 1 rpm: the next request fits a minute later.
    local.clock.advance(60_000);
    expect((await queued).endpoint).toBe('a');
    expect(local.events.find((event) => event.type === 'admission-queue')).toMatchObject({ priority: 'normal', expectedWaitMs: 60_000, depth: 1 });
    expect(local.events.find((event) => event.type === 'admission-dequeue')).toMatchObject({ exit: 'granted', waitedMs: 60_000, endpoint: 'a' });
    expect(local.router.admission()).toMatchObject({ total: 0, reserved: 0 });
  });

  it('refuses fast with a retry-after when quota will not return within maxQueueMs', async () => {
    const local = createRouterWithLimits({ maxQueueMs: 500 });
    await local.router.send(chat());
    const error = await local.router.send(chat()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoEndpointAvailableError);
    expect((error as NoEndpointAvailableError).retryAfterMs).toBe(60_000);
    expect(local.events.find((event) => event.type === 'admission-refuse')).toMatchObject({ reason: 'wait_too_long', retryAfterMs: 60_000 });
    expect(local.clock.sleeps).toEqual([]);
    // health() says why: nothing left, and when it is whole again.
    const [health] = await local.router.health();
    expect(health).toMatchObject({ available: true, quota: { requests: 0 }, quotaResetMs: { requests: 60_000 } });
  });

  it('removes a caller who leaves the queue at once, and holds nothing afterwards', async () => {
    const local = createRouterWithLimits();
    await local.router.send(chat());
    const controller = new AbortController();
    const leaving = settled(local.router.send({ ...chat(), signal: controller.signal }));
    await ticks();
    expect(local.router.admission()?.total).toBe(1);
    controller.abort();
    await leaving;
    expect(local.router.admission()).toMatchObject({ total: 0, reserved: 0 });
    expect(local.events.filter((event) => event.type === 'request-end').at(-1)).toMatchObject({ ok: false, code: 'aborted' });
  });

  it('serves high priority before normal and low when quota returns', async () => {
    const local = createRouterWithLimits({ maxQueueMs: 300_000 });
    await local.router.send(chat());
    const order: string[] = [];
    const waits = (['low', 'normal', 'high'] as const).map((priority) =>
      local.router.send({ ...chat(), priority }).then(() => order.push(priority)),
    );
    // The header works as well as the option.
    waits.push(local.router.send({ ...chat(), headers: { 'X-Detour-Priority': 'high' } }).then(() => order.push('header-high')));
    await ticks();
    for (let index = 0; index < 4; index += 1) {
      local.clock.advance(60_000);
      await ticks(40);
    }
    await Promise.all(waits);
    expect(order.slice(0, 2).sort()).toEqual(['header-high', 'high']);
    expect(order.slice(2)).toEqual(['normal', 'low']);
  });

  it('settles every reservation: success, failure, a failed connection, an abort mid-attempt, a cut stream', async () => {
    const scripts: Record<string, EndpointScript> = {
      a: [
        ok,
        { status: 500, body: { error: { message: 'boom', type: 'server_error' } } },
        { error: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) },
        { hang: true },
        { events: [delta('a'), delta('b'), '[DONE]'], cut: { afterEvents: 2, mode: 'error' } },
        { events: [delta('a'), '[DONE]'] },
      ],
    };
    const local = createRouterWithLimits({}, scripts, { rpm: 1000, tpm: 100_000 });
    await local.router.send(chat());
    await settled(local.router.send(chat()));
    await settled(local.router.send(chat()));
    const controller = new AbortController();
    const hanging = settled(local.router.send({ ...chat(), signal: controller.signal }));
    await ticks();
    expect(local.router.admission()?.reserved).toBe(1);
    controller.abort();
    await hanging;
    await settled(drain((await local.router.send(chat({ stream: true }))).stream!));
    await drain((await local.router.send(chat({ stream: true }))).stream!);
    expect(local.router.admission()?.reserved).toBe(0);
    // Everything spent was given back or charged: after a minute the buckets are full again.
    local.clock.advance(60_000);
    const [health] = await local.router.health();
    expect(health!.quota).toEqual({ requests: 1000, tokens: 100_000 });
    expect(health!.quotaResetMs).toEqual({ requests: 0, tokens: 0 });
  });

  it('leaves no reservation behind, whatever mix of endings a run of requests meets', async () => {
    const replies: ScriptedReply[] = [
      ok,
      limits(3),
      { status: 500, body: { error: { message: 'boom', type: 'server_error' } } },
      { status: 429, headers: { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' }, body: { error: { code: 'rate_limit_exceeded', message: 'slow' } } },
      { error: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) },
      { events: [delta('a'), delta('b'), '[DONE]'], cut: { afterEvents: 1, mode: 'error' } },
      { events: [delta('a'), '[DONE]'] },
      { hang: true },
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(replies.length - 1), fc.boolean()), { minLength: 1, maxLength: 12 }), async (plan) => {
        const script = (choices: number[]): EndpointScript => (_request, count) => replies[choices[(count - 1) % choices.length]!]!;
        const local = createRouterWithLimits(
          { maxQueueMs: 0 },
          { a: script(plan.map(([first]) => first)) },
          { rpm: 1000, tpm: 1_000_000 },
        );
        for (const [, stream] of plan) {
          const controller = new AbortController();
          const sent = local.router.send({ ...chat(stream ? { stream: true } : {}), signal: controller.signal });
          await ticks();
          controller.abort();
          const result = await sent.catch(() => undefined);
          if (result?.stream) await settled(drain(result.stream));
        }
        return local.router.admission()?.reserved === 0 && local.router.admission()?.total === 0;
      }),
      { numRuns: 40 },
    );
  });

  it('reports the estimate against reported usage', async () => {
    const { router, events } = setup({ a: [limits(9)] });
    await router.send(chat());
    expect(events.find((event) => event.type === 'quota-estimate')).toMatchObject({ endpoint: 'a', estimatedTokens: 16, tokens: 15, inputTokens: 10 });
  });

  it('reads a success at most once a millisecond while half is left, and every answer once less is', async () => {
    const { router, clock } = setup({ a: [limits(9000, 10_000), limits(6000, 10_000), limits(4000, 10_000), limits(3000, 10_000)] });
    const requestsLeft = async () => (await router.health())[0]!.quota.requests;
    await router.send(chat());
    expect(await requestsLeft()).toBe(9000);
    // Same millisecond, plenty left: the answer's figures are not read, its own request is counted as spent.
    await router.send(chat());
    expect(await requestsLeft()).toBe(8999);
    clock.advance(1);
    await router.send(chat());
    expect(await requestsLeft()).toBe(4000);
    // Under half left: every answer is read, even in the same millisecond.
    await router.send(chat());
    expect(await requestsLeft()).toBe(3000);
  });

  it('reads every error answer, even one in the same millisecond as a reading with plenty left', async () => {
    const refusal: ScriptedReply = { ...limits(0, 10_000, '30s'), status: 429, body: { error: { message: 'Rate limit reached', type: 'requests' } } };
    const { router, transport } = setup({ a: [limits(9000, 10_000), refusal] });
    await router.send(chat());
    await settled(router.send(chat()));
    expect(transport.callsTo('a')).toHaveLength(2);
    const [a] = await router.health();
    expect(a).toMatchObject({ quota: { requests: 0 }, quotaResetMs: { requests: 30_000 } });
  });

  it('changes nothing when admission is off', async () => {
    const local = createRouterWithLimits({ enabled: false });
    await local.router.send(chat());
    await local.router.send(chat());
    expect(local.transport.calls).toHaveLength(2);
    expect(local.router.admission()).toBeUndefined();
  });
});

/** One endpoint held to configured limits (1 rpm unless said otherwise: one request, then a minute's wait), one attempt each. */
function createRouterWithLimits(
  admission: Record<string, unknown> = {},
  scripts: Record<string, EndpointScript> = { a: [ok] },
  limits: { rpm?: number; tpm?: number } = { rpm: 1 },
) {
  const clock = createFakeClock(0);
  const transport = createScriptedTransport(scripts, { now: clock.now });
  const router = createRouter(
    { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits }], maxAttempts: 1, admission: { maxQueueMs: 120_000, ...admission } } as RouterOptionsInput,
    { transport, clock, sleep: clock.sleep, random: () => 0.5 },
  );
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, transport, router, events };
}

describe('fleet-wide admission', () => {
  /** Routers on one fake clock and one upstream, each making its instance of a 10 rpm limit, exchanging every ms. */
  const fleetOf = () => {
    const clock = createFakeClock(0);
    const transport = createScriptedTransport({ a: [ok] }, { now: clock.now });
    const make = (store: StateStore) =>
      createRouter(
        { endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a', limits: { rpm: 10 } }], admission: { maxQueueMs: 0, fleetSyncMs: 1 } },
        { transport, clock, sleep: clock.sleep, random: () => 0.5, store },
      );
    return { clock, make };
  };

  // Two routers, 12 requests against a shared 10 rpm limit.
  const run = (shared: boolean) => {
    const { clock, make: makeOn } = fleetOf();
    const store = createMemoryStore();
    const make = () => makeOn(shared ? store : createMemoryStore());
    const [first, second] = [make(), make()];
    const send = async (router: ReturnType<typeof make>) => {
      clock.advance(1);
      return router.send(chat()).then(() => 'ok', (error: unknown) => (error instanceof NoEndpointAvailableError ? 'refused' : 'error'));
    };
    return async () => {
      const outcomes: string[] = [await send(first), await send(second)];
      for (let index = 0; index < 7; index += 1) outcomes.push(await send(first));
      for (let index = 0; index < 3; index += 1) outcomes.push(await send(second));
      return outcomes;
    };
  };

  it('shares spend between routers on one store: together they overshoot the limit by at most what one sync interval hides', async () => {
    const outcomes = await run(true)();
    // The staleness bound: the other instance's spend since its last exchange (here, its one latest request).
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(11);
    expect(outcomes.at(-1)).toBe('refused');
    expect(outcomes).not.toContain('error');
  });

  it('without a shared store, each instance counts only its own', async () => {
    const outcomes = await run(false)();
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(12);
  });

  it('lets a joining instance count the part of the fleet\'s long history that falls in one window (attack 8, D6)', async () => {
    // Counted whole, an hour at 5 rpm of a 10 rpm limit emptied a new instance's bucket: served 1 of 8, not 5.
    const { clock, make: makeOn } = fleetOf();
    const store = createMemoryStore();
    const make = () => makeOn(store);
    const steady = make();
    for (let request = 0; request < 300; request += 1) {
      clock.advance(12_000);
      await steady.send(chat());
    }
    const joining = make();
    const outcomes: string[] = [];
    for (let request = 0; request < 8; request += 1) {
      clock.advance(1);
      outcomes.push(await joining.send(chat()).then(() => 'ok', (error: unknown) => (error instanceof NoEndpointAvailableError ? 'refused' : 'error')));
    }
    // Its first request goes before it has heard from the fleet; then it counts 300 × 60 s / 3,588 s = 5.02 of the
    // fleet's 300 as its last minute's (the ledger first heard of the pair at 12 s), which leaves room for 3 more.
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'refused', 'refused', 'refused', 'refused']);
  });
});
