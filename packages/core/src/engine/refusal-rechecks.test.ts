import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import type { TransportRequest } from '../ports/transport';
import { createMemoryStore } from '../state/memory-store';
import { createFakeClock, type FakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, requestText, type ScriptedReply, type ScriptedTransport } from '../testing/scripted-transport';
import { createRouter, type Router } from './router';

// A disable with no reset to wait for (a spent balance, a revoked key, a model's access) is a guess at when the account
// is fixed: it held the endpoint an hour after a top-up (attack 24, S4). It now starts at firstDisableMs (5 min) and
// doubles with each refusal in a row, up to disableMs (15 min); once a hold runs out, one request rechecks the
// endpoint while the others go elsewhere.

const minute = 60_000;
const spent: ScriptedReply = {
  status: 429,
  body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
};
const noAccess: ScriptedReply = {
  status: 403,
  body: { error: { message: 'Project `proj_abc` does not have access to model `gpt-5-pro`', type: 'invalid_request_error', param: null, code: 'model_not_found' } },
};
const served: ScriptedReply = { body: chatCompletion('ok') };
const chat = (model = 'gpt-4.1') => ({ path: '/chat/completions', body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
const modelOf = (request: TransportRequest) => (JSON.parse(requestText(request)) as { model: string }).model;

/** A transport whose endpoint `a` answers as `answerA` says (held back while `held` is set), and `b` always serves. */
const harness = (endpoints: readonly string[], options: Partial<RouterOptionsInput> = {}, shared?: { clock: FakeClock; store: ReturnType<typeof createMemoryStore> }) => {
  const clock = shared?.clock ?? createFakeClock();
  let answerA: (request: TransportRequest) => ScriptedReply = () => served;
  const scripted: ScriptedTransport = createScriptedTransport({ a: (request) => answerA(request), b: () => served }, { now: clock.now });
  const heldBack: (() => void)[] = [];
  let holding = false;
  let toA = 0;
  const transport = (async (request: TransportRequest, signal: Parameters<ScriptedTransport>[1]) => {
    if (request.endpoint === 'a') toA += 1;
    if (holding && request.endpoint === 'a') await new Promise<void>((resolve) => heldBack.push(resolve));
    return scripted(request, signal);
  }) as ScriptedTransport;
  const config = {
    endpoints: endpoints.map((name, priority) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, priority })),
    rescue: 'off',
    ...options,
  } as RouterOptionsInput;
  const router: Router = createRouter(config, { transport, clock, sleep: clock.sleep, random: () => 0, ...(shared ? { store: shared.store } : {}) });
  return {
    router, clock, scripted,
    answer: (answer: (request: TransportRequest) => ScriptedReply) => void (answerA = answer),
    hold: () => void (holding = true),
    release: () => {
      holding = false;
      for (const resolve of heldBack.splice(0)) resolve();
    },
    /** Requests sent to `a`, answered or held back. */
    callsToA: () => toA,
    disabledFor: async () => {
      const a = (await router.health()).find((endpoint) => endpoint.name === 'a')!;
      return a.disabledUntil > clock.now() ? a.disabledUntil - clock.now() : 0;
    },
  };
};

/** Who served a request: the endpoint's name from the router's result, or 'failed'. */
const servedBy = (router: Router, model?: string) => router.send(chat(model)).then((result) => result.endpoint, () => 'failed');

/** Lets every pending promise callback run: the requests held back reach their transport. */
const settle = async () => {
  for (let round = 0; round < 20; round += 1) await Promise.resolve();
};

describe('a disable with no reset is rechecked: a topped-up balance is served again within minutes', () => {
  it('serves a topped-up endpoint again once its first hold (5 min) runs out, not after an hour', async () => {
    const { router, clock, answer, callsToA, disabledFor } = harness(['a', 'b']);
    answer(() => spent);
    expect(await servedBy(router)).toBe('b');
    expect(await disabledFor()).toBe(5 * minute);
    clock.advance(4 * minute);
    expect(await servedBy(router)).toBe('b');
    expect(callsToA()).toBe(1);
    answer(() => served);
    clock.advance(minute);
    expect(await servedBy(router)).toBe('a');
    expect(await servedBy(router)).toBe('a');
  });

  it('doubles the hold with each refusal after a hold ran out, up to disableMs, and asks at most once a hold', async () => {
    const { router, clock, answer, callsToA, disabledFor } = harness(['a', 'b'], { cooldown: { disableMs: 3_600_000 } });
    answer(() => spent);
    const holds: number[] = [];
    for (let lapse = 0; lapse < 7; lapse += 1) {
      expect(await servedBy(router)).toBe('b');
      const hold = await disabledFor();
      holds.push(hold / minute);
      // Every request during the hold goes to b without asking a.
      clock.advance(hold - 1);
      expect(await servedBy(router)).toBe('b');
      clock.advance(1);
    }
    expect(holds).toEqual([5, 10, 20, 40, 60, 60, 60]);
    expect(callsToA()).toBe(7);
  });

  it('starts at the first hold again once the endpoint answered: a new problem is not the old one', async () => {
    const { router, clock, answer, disabledFor } = harness(['a', 'b']);
    answer(() => spent);
    await servedBy(router);
    clock.advance(5 * minute);
    await servedBy(router);
    expect(await disabledFor()).toBe(10 * minute);
    answer(() => served);
    clock.advance(10 * minute);
    expect(await servedBy(router)).toBe('a');
    clock.advance(minute);
    answer(() => spent);
    await servedBy(router);
    expect(await disabledFor()).toBe(5 * minute);
  });

  it('does not lengthen the hold for refusals of requests that were already in flight', async () => {
    const { router, answer, hold, release, callsToA, disabledFor } = harness(['a', 'b'], { selection: 'weighted' });
    answer(() => spent);
    hold();
    // Three requests reach a before any refusal is in.
    const sending = [servedBy(router), servedBy(router), servedBy(router)];
    await settle();
    expect(callsToA()).toBe(3);
    release();
    expect(await Promise.all(sending)).toEqual(['b', 'b', 'b']);
    expect(await disabledFor()).toBe(5 * minute);
  });

  it('holds at most disableMs (15 min) by default, and keeps one fixed hold with firstDisableMs set to disableMs', async () => {
    const growing = harness(['a', 'b']);
    growing.answer(() => spent);
    const holds: number[] = [];
    for (let lapse = 0; lapse < 5; lapse += 1) {
      await servedBy(growing.router);
      const hold = await growing.disabledFor();
      holds.push(hold / minute);
      growing.clock.advance(hold);
    }
    expect(holds).toEqual([5, 10, 15, 15, 15]);
    const { router, clock, answer, disabledFor } = harness(['a', 'b'], { cooldown: { firstDisableMs: 3_600_000, disableMs: 3_600_000 } });
    answer(() => spent);
    await servedBy(router);
    expect(await disabledFor()).toBe(60 * minute);
    clock.advance(60 * minute);
    await servedBy(router);
    expect(await disabledFor()).toBe(60 * minute);
  });
});

describe('one request rechecks an endpoint whose hold ran out', () => {
  it('sends one request to the endpoint while its recheck is in flight; the others go to the backup', async () => {
    const { router, clock, answer, hold, release, callsToA } = harness(['a', 'b']);
    answer(() => spent);
    await servedBy(router);
    clock.advance(5 * minute);
    answer(() => served);
    hold();
    const sending = [servedBy(router), servedBy(router), servedBy(router), servedBy(router)];
    await settle();
    expect(callsToA()).toBe(2);
    const others = await Promise.all(sending.slice(1));
    expect(others).toEqual(['b', 'b', 'b']);
    release();
    expect(await sending[0]).toBe('a');
    // The recheck answered: every request goes to a again, at once.
    hold();
    const after = [servedBy(router), servedBy(router)];
    await settle();
    expect(callsToA()).toBe(4);
    release();
    expect(await Promise.all(after)).toEqual(['a', 'a']);
  });

  it("is settled by a rate limit (the key was taken), not by a server error (which says nothing of it)", async () => {
    const { router, clock, answer, hold, release, callsToA } = harness(['a', 'b']);
    answer(() => spent);
    await servedBy(router);
    clock.advance(5 * minute);
    answer(() => ({ status: 500, body: { error: { message: 'The server had an error while processing your request.', type: 'server_error' } } }));
    expect(await servedBy(router)).toBe('b');
    // The 500 settled nothing: the next request is a recheck, and the ones beside it go to b.
    answer(() => ({ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } } }));
    hold();
    const sending = [servedBy(router), servedBy(router)];
    await settle();
    expect(callsToA()).toBe(3);
    release();
    expect(await Promise.all(sending)).toEqual(['b', 'b']);
    // The 429 settled it: once its second is over, requests flow to a side by side.
    clock.advance(2000);
    answer(() => served);
    hold();
    const after = [servedBy(router), servedBy(router)];
    await settle();
    expect(callsToA()).toBe(5);
    release();
    expect(await Promise.all(after)).toEqual(['a', 'a']);
  });

  it('holds the endpoint again, one refusal later, when the recheck is refused', async () => {
    const { router, clock, answer, hold, release, callsToA, disabledFor } = harness(['a', 'b']);
    answer(() => spent);
    await servedBy(router);
    clock.advance(5 * minute);
    hold();
    const sending = [servedBy(router), servedBy(router), servedBy(router)];
    await settle();
    expect(callsToA()).toBe(2);
    release();
    expect(await Promise.all(sending)).toEqual(['b', 'b', 'b']);
    expect(await disabledFor()).toBe(10 * minute);
  });

  it('sends a request only that endpoint can take all the same: it is not refused for a hold that is over', async () => {
    const { router, clock, answer, hold, release, callsToA } = harness(['a']);
    answer(() => spent);
    expect(await servedBy(router)).toBe('failed');
    clock.advance(5 * minute);
    answer(() => served);
    hold();
    const sending = [servedBy(router), servedBy(router), servedBy(router)];
    await settle();
    expect(callsToA()).toBe(4);
    release();
    expect(await Promise.all(sending)).toEqual(['a', 'a', 'a']);
  });

  it('frees a recheck that never reported after breaker.probeTimeoutMs', async () => {
    const { router, clock, answer, hold, callsToA } = harness(['a', 'b'], { breaker: { probeTimeoutMs: 10_000 }, deadlineMs: 1_000_000 });
    answer(() => spent);
    await servedBy(router);
    clock.advance(5 * minute);
    answer(() => served);
    hold();
    void servedBy(router);
    await settle();
    expect(callsToA()).toBe(2);
    expect(await servedBy(router)).toBe('b');
    clock.advance(10_000);
    void servedBy(router);
    await settle();
    expect(callsToA()).toBe(3);
  });

  it('rechecks a disable another member of the fleet earned, one request at a time', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore();
    const earner = harness(['a', 'b'], {}, { clock, store });
    const member = harness(['a', 'b'], {}, { clock, store });
    earner.answer(() => spent);
    expect(await servedBy(earner.router)).toBe('b');
    // The member never saw a refusal: it honours the fleet's hold, and rechecks once when it runs out.
    expect(await servedBy(member.router)).toBe('b');
    expect(member.callsToA()).toBe(0);
    clock.advance(5 * minute);
    member.answer(() => served);
    member.hold();
    const sending = [servedBy(member.router), servedBy(member.router), servedBy(member.router)];
    await settle();
    expect(member.callsToA()).toBe(1);
    member.release();
    expect(await Promise.all(sending)).toEqual(['a', 'b', 'b']);
    expect(await servedBy(member.router)).toBe('a');
  });
});

describe("a model's own refusal is rechecked the same way", () => {
  it('serves a model whose access was granted once its first hold runs out; the other models were served throughout', async () => {
    const { router, clock, answer, scripted } = harness(['a']);
    let granted = false;
    answer((request) => (modelOf(request) === 'gpt-5-pro' && !granted ? noAccess : served));
    expect(await servedBy(router, 'gpt-5-pro')).toBe('failed');
    expect(await servedBy(router, 'gpt-4.1')).toBe('a');
    clock.advance(5 * minute - 1);
    expect(await servedBy(router, 'gpt-5-pro')).toBe('failed');
    expect(scripted.callsTo('a').map((call) => modelOf(call.request))).toEqual(['gpt-5-pro', 'gpt-4.1']);
    // Still refused at the first recheck: held twice as long.
    clock.advance(1);
    expect(await servedBy(router, 'gpt-5-pro')).toBe('failed');
    expect((await router.health())[0]!.modelCooldowns['gpt-5-pro']).toBe(clock.now() + 10 * minute);
    granted = true;
    clock.advance(10 * minute);
    expect(await servedBy(router, 'gpt-5-pro')).toBe('a');
  });
});
