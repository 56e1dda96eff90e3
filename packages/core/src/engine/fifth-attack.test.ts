import { describe, expect, it, vi } from 'vitest';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

// Defects found by the fifth black-box attack (docs/attacks/fifth). Each test here failed on the code before its fix.

const endpoint = (name: string) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}` });
const chat = (extra: Record<string, unknown> = {}) => ({
  path: '/chat/completions',
  body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], ...extra }),
});
const ok = (name: string): ScriptedReply => ({ body: chatCompletion(name) });
const overloaded: ScriptedReply = { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } };

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}, random = () => 0.5) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter(
    { endpoints: Object.keys(scripts).map(endpoint), ...options } as RouterOptionsInput,
    { transport, clock, sleep: clock.sleep, random },
  );
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, transport, router, events };
};

describe('the fifth attack', () => {
  it('opens the breaker of an endpoint that never answers when the deadline, not a timeout, ends its attempts', async () => {
    // Defect 1: attempts the deadline ended never counted, so a hanging endpoint kept its share for ever.
    const { router, clock, transport, events } = setup({ hangs: [{ hang: true }] }, { deadlineMs: 1000, breaker: { consecutiveFailures: 3 } });
    for (let request = 1; request <= 3; request += 1) {
      const pending = router.send(chat()).catch((caught: unknown) => caught);
      await vi.waitFor(() => expect(transport.calls).toHaveLength(request));
      clock.advance(1000);
      expect(await pending).toMatchObject({ code: 'deadline_exceeded' });
    }
    expect(events.filter((event) => event.type === 'breaker-change')).toMatchObject([{ endpoint: 'hangs', from: 'closed', to: 'open' }]);
    await expect(router.send(chat())).rejects.toBeInstanceOf(NoEndpointAvailableError);
    expect(transport.calls).toHaveLength(3);
  });

  it('does not count a deadline against an attempt that started late, after others had used most of it', async () => {
    // 700 ms of the 1000 ms deadline go to a slow 500 on `slow`; `late` then gets 300 ms and is not its fault.
    const { router, clock, transport } = setup(
      { slow: [{ status: 500, latencyMs: 700, body: { error: { message: 'oops' } } }], late: [{ hang: true }] },
      { deadlineMs: 1000, breaker: { consecutiveFailures: 1 } },
      () => 0,
    );
    const pending = router.send(chat()).catch((caught: unknown) => caught);
    await vi.waitFor(() => expect(transport.callsTo('late')).toHaveLength(1));
    clock.advance(300);
    expect(await pending).toMatchObject({ code: 'deadline_exceeded' });
    const health = await router.health();
    expect(health.find((entry) => entry.name === 'late')).toMatchObject({ breaker: 'closed', available: true });
    expect(health.find((entry) => entry.name === 'slow')).toMatchObject({ breaker: 'open' });
  });

  it('never refuses a request because every endpoint answered one 529: an overload with no named delay only passes an endpoint over', async () => {
    // Defect 2: every overloaded answer cooled its whole endpoint for 2 s in the store, and sporadic 529s across all
    // endpoints refused a third of traffic with no_endpoint_available.
    const { router, transport } = setup({ a: [overloaded, ok('a')], b: [overloaded, ok('b')] }, { maxAttempts: 2 }, () => 0);
    await expect(router.send(chat())).rejects.toBeInstanceOf(AttemptsExhaustedError);
    const served = await router.send(chat());
    expect(served.attempts).toHaveLength(1);
    expect(transport.calls).toHaveLength(3);
  });

  it('passes an endpoint that answered a 529 over while another can take the request, and reports it as resting (still available)', async () => {
    const { router, transport, clock } = setup({ a: [overloaded, ok('a')], b: [ok('b')] }, {}, () => 0);
    for (let request = 0; request < 4; request += 1) expect((await router.send(chat())).endpoint).toBe('b');
    expect(transport.callsTo('a')).toHaveLength(1);
    // Resting is a soft cooldown: passed over, never refused (attack 20, M1: /healthz answered 503 for it).
    expect((await router.health()).find((entry) => entry.name === 'a')).toMatchObject({ available: true, cooldownUntil: 0, restingUntil: clock.now() + 2000 });
    clock.advance(2000);
    expect((await router.health()).find((entry) => entry.name === 'a')).toMatchObject({ available: true, restingUntil: 0 });
    const next = [await router.send(chat()), await router.send(chat())].map((result) => result.endpoint);
    expect(next).toContain('a');
  });

  // A review of the fix: a resting endpoint in a better tier was waited for a millisecond at a time (the store says
  // it is free), and resting was applied before admission, so a request was refused while it had quota.
  it('does not wait for a resting endpoint in a better tier: the lower tier serves at once', async () => {
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: [overloaded, ok('a')], b: [ok('b')] }, { now: clock.now });
    const router = createRouter(
      { endpoints: [{ ...endpoint('a'), priority: 0 }, { ...endpoint('b'), priority: 1 }], preferWaitMs: 5000 },
      { transport, clock, sleep: clock.sleep, random: () => 0 },
    );
    const events: RouterEvent[] = [];
    router.subscribe((event) => events.push(event));
    const started = clock.now();
    expect((await router.send(chat())).endpoint).toBe('b');
    expect((await router.send(chat())).endpoint).toBe('b');
    expect(events.filter((event) => event.type === 'retry-wait')).toHaveLength(0);
    expect(clock.now() - started).toBe(0);
  });

  it('takes a resting endpoint rather than refuse when the others are out of quota', async () => {
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: [overloaded, ok('a')], b: [ok('b')] }, { now: clock.now });
    const router = createRouter(
      { endpoints: [endpoint('a'), { ...endpoint('b'), limits: { rpm: 1 } }] },
      { transport, clock, sleep: clock.sleep, random: () => 0 },
    );
    expect((await router.send(chat())).endpoint).toBe('b');
    expect((await router.send(chat())).endpoint).toBe('a');
  });

  it('keeps a delay the overloaded server names in the store, for the whole fleet', async () => {
    const named: ScriptedReply = { status: 503, headers: { 'retry-after': '30' }, body: { error: { message: 'busy', code: 'server_is_overloaded' } } };
    const { router } = setup({ a: [named] }, { maxAttempts: 1 });
    await expect(router.send(chat())).rejects.toBeInstanceOf(AttemptsExhaustedError);
    await expect(router.send(chat())).rejects.toBeInstanceOf(NoEndpointAvailableError);
  });

  it('refuses at once, without sleeping, when the retry budget cannot pay for the retry a Retry-After asks to wait for', async () => {
    // Defect 3: callers slept the whole Retry-After, then the budget refused the retry they had waited for.
    const limited: ScriptedReply = { status: 429, headers: { 'retry-after': '5' }, body: { error: { message: 'slow down', code: 'rate_limit_exceeded' } } };
    const { router, clock, transport, events } = setup({ a: [limited, ok('a')] }, { retryBudget: { ratio: 0, minPerSecond: 0 } });
    const started = clock.now();
    const error = (await router.send(chat()).catch((caught: unknown) => caught)) as AttemptsExhaustedError;
    expect(error).toMatchObject({ reason: 'budget' });
    expect(error.lastResponse?.status).toBe(429);
    expect(clock.now() - started).toBe(0);
    expect(transport.calls).toHaveLength(1);
    expect(events.some((event) => event.type === 'retry-wait')).toBe(false);
  });

  it('draws the retry after a wait from the budget once, before the wait', async () => {
    const limited: ScriptedReply = { status: 429, headers: { 'retry-after': '5' }, body: { error: { message: 'slow down', code: 'rate_limit_exceeded' } } };
    // The window allows one retry (0.1 a second over 10 s).
    const { router, clock, transport } = setup({ a: [limited, ok('a'), limited, ok('a')] }, { retryBudget: { ratio: 0, minPerSecond: 0.1 } });
    const started = clock.now();
    const served = await router.send(chat());
    expect(served.attempts).toHaveLength(2);
    expect(clock.now() - started).toBeGreaterThanOrEqual(5000);
    // That retry is spent: the next request's wait is refused before it sleeps.
    const before = clock.now();
    await expect(router.send(chat())).rejects.toMatchObject({ reason: 'budget' });
    expect(clock.now()).toBe(before);
    expect(transport.calls).toHaveLength(3);
  });

  it('reports a breaker that trips under a burst once, not once per failure still in flight', async () => {
    // Defect 5: 200 concurrent failures gave 196 `closed → open` events, which filled the dashboard's timeline.
    const { router, events } = setup({ a: [{ status: 503, body: { error: { message: 'unavailable' } } }] }, { breaker: { consecutiveFailures: 2 }, maxAttempts: 1 });
    await Promise.allSettled(Array.from({ length: 20 }, () => router.send(chat())));
    expect(events.filter((event) => event.type === 'breaker-change')).toMatchObject([{ endpoint: 'a', from: 'closed', to: 'open' }]);
  });

  it('prices the content a stream sent before an error event in the same read', async () => {
    // Defect 6: content events and an error event in one read were priced at 0 output tokens.
    const content = Array.from({ length: 6 }, (_, index) => JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: `t${index}` } }] }));
    const errorEvent = JSON.stringify({ error: { message: 'the model crashed', code: 500 } });
    const oneRead = [...content, errorEvent].map((data) => `data: ${data}\n\n`).join('');
    const { router, events } = setup(
      { a: [{ events: [oneRead] }], b: [{ events: [JSON.stringify({ choices: [{ index: 0, delta: { content: 'b' }, finish_reason: 'stop' }] }), '[DONE]'] }] },
      { prices: [{ model: 'gpt-4.1', inputPerMTok: 2, outputPerMTok: 8 }] },
      () => 0,
    );
    await router.send(chat({ stream: true }));
    const failed = events.find((event) => event.type === 'cost-record' && event.outcome === 'failed');
    expect(failed).toMatchObject({ endpoint: 'a', estimated: true });
    expect(failed?.type === 'cost-record' && failed.usage.outputTokens).toBeGreaterThanOrEqual(6);
  });
});
