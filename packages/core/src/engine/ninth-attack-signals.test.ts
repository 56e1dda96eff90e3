import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';
import { createRouter } from './router';

// Provider-signal defects found by the ninth attack (docs/attacks/ninth). Each test here failed on the code before
// its fix. Endpoint `a` is the preferred tier, `b` the healthy backup.

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}, provider?: string) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const endpoints = Object.keys(scripts).map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, priority, ...(provider ? { provider } : {}) }));
  const router = createRouter({ endpoints, ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  return { clock, transport, router };
};

const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };
const ok = (name: string): ScriptedReply => ({ body: chatCompletion(name) });
const limited = (headers: Record<string, string>): ScriptedReply => ({ status: 429, headers, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } });

describe('the ninth attack: provider signals', () => {
  it('fails over at once on a 429 whose server says it may be retried at once, rather than retry it until the attempts run out', async () => {
    const now = new Date(createFakeClock().now()).toUTCString();
    const zeroDelays: Record<string, string>[] = [{ 'retry-after': '0' }, { 'retry-after-ms': '0' }, { 'retry-after': 'Thu, 01 Jan 2015 00:00:00 GMT', date: now }];
    for (const headers of zeroDelays) {
      const { router, transport } = setup({ a: [limited(headers)], b: [ok('b')] });
      const served = await router.send(chat);
      expect(served.endpoint).toBe('b');
      expect(transport.calls.map((call) => call.request.endpoint)).toEqual(['a', 'b']);
    }
  });

  it('still retries the same endpoint when nothing else can take the request', async () => {
    const { router, transport } = setup({ a: [limited({ 'retry-after': '0' }), ok('a')] });
    expect((await router.send(chat)).endpoint).toBe('a');
    expect(transport.calls).toHaveLength(2);
  });

  it(`reads Anthropic's spend-limit answer as a spent quota: fails over and disables the key`, async () => {
    const spent: ScriptedReply = {
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'You have reached your specified API usage limits. You will regain access on 2027-01-01 at 00:00 UTC.' } },
    };
    const messages = { path: '/messages', body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }) };
    const answer = { id: 'msg', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hi' }], usage: { input_tokens: 3, output_tokens: 1 } };
    const { router, transport, clock } = setup({ a: [spent], b: [{ body: answer }] }, {}, 'anthropic');
    expect((await router.send(messages)).endpoint).toBe('b');
    const health = await router.health();
    // No reset Detour reads (the date is in words): the first hold, `cooldown.firstDisableMs`.
    expect(health.find((entry) => entry.name === 'a')?.disabledUntil).toBeGreaterThanOrEqual(clock.now() + 300_000 - 1);
    expect((await router.send(messages)).endpoint).toBe('b');
    expect(transport.callsTo('a')).toHaveLength(1);
  });

  it('never lets a short server delay shorten the disable of a spent quota', async () => {
    const quota: ScriptedReply = { status: 429, headers: { 'retry-after': '1', 'x-ratelimit-reset-requests': '2s' }, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } };
    const { router, transport, clock } = setup({ a: [quota], b: [ok('b')] });
    expect((await router.send(chat)).endpoint).toBe('b');
    clock.advance(5_000);
    expect((await router.send(chat)).endpoint).toBe('b');
    expect(transport.callsTo('a')).toHaveLength(1);
    const health = await router.health();
    // The first hold (5 min) from the refusal, not the 1 or 2 s its headers name.
    expect(health.find((entry) => entry.name === 'a')?.disabledUntil).toBeGreaterThanOrEqual(clock.now() + 295_000);
  });

  it('with admission on, cools an endpoint whose 200 says nothing is left when the reading names no limit', async () => {
    const last: ScriptedReply = { body: chatCompletion('a'), headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' } };
    const ietf: ScriptedReply = { body: chatCompletion('a'), headers: { ratelimit: '"default";r=0;t=30' } };
    const legacy: ScriptedReply = { body: chatCompletion('a'), headers: { 'ratelimit-limit': '10', 'ratelimit-remaining': '0', 'ratelimit-reset': '30' } };
    // A limit of 0 is no limit the quota model can refill either.
    const zeroLimit: ScriptedReply = { body: chatCompletion('a'), headers: { 'x-ratelimit-limit-requests': '0', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' } };
    for (const reply of [last, ietf, legacy, zeroLimit]) {
      const { router } = setup({ a: [reply, ok('a')], b: [ok('b')] });
      expect((await router.send(chat)).endpoint).toBe('a');
      expect((await router.send(chat)).endpoint).toBe('b');
    }
  });

  it('reads the separate RateLimit-Remaining and RateLimit-Reset fields of the older drafts on a 429', async () => {
    const { router, clock } = setup({ a: [limited({ 'ratelimit-limit': '10', 'ratelimit-remaining': '0', 'ratelimit-reset': '10' }), ok('a')], b: [ok('b')] });
    expect((await router.send(chat)).endpoint).toBe('b');
    const cooling = (await router.health()).find((entry) => entry.name === 'a')!.modelCooldowns['gpt-4.1']!;
    expect(cooling - clock.now()).toBeGreaterThanOrEqual(10_000);
  });

  it('draws on the retry budget to go back to an endpoint the request already tried, not only to the last one', async () => {
    // Every endpoint answers 429 `Retry-After: 0`; the budget allows one retry (0.1 a second over 10 s).
    const { router, transport } = setup({ a: [limited({ 'retry-after': '0' })], b: [limited({ 'retry-after': '0' })] }, { retryBudget: { ratio: 0, minPerSecond: 0.1 } });
    await expect(router.send(chat)).rejects.toMatchObject({ reason: 'budget' });
    expect(transport.calls.map((call) => call.request.endpoint)).toEqual(['a', 'b', 'a']);
  });
});
