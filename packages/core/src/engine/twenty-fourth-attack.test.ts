import { describe, expect, it } from 'vitest';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, requestText, type EndpointScript } from '../testing/scripted-transport';
import { createRouter } from './router';

// Defects found by the twenty-fourth attack (docs/attacks/twenty-fourth). Each test here failed on the code before its fix.

const chat = (model: string, extra: Record<string, unknown> = {}) => ({
  path: '/chat/completions',
  body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }),
});
const modelOf = (body: string) => (JSON.parse(body) as { model: string }).model;

/** One endpoint serving every model, whose answers `answer` decides from the model asked for. */
const oneEndpoint = (answer: (model: string, body: string) => ReturnType<Extract<EndpointScript, Function>>) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport({ a: (request) => answer(modelOf(requestText(request)), requestText(request)) }, { now: clock.now, advance: clock.advance });
  const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }], rescue: 'off' } as RouterOptionsInput, {
    transport, clock, sleep: clock.sleep, random: () => 0,
  });
  return { router, transport, clock };
};

const served = { body: chatCompletion('ok') };

/** How a request ended: its status when served, else 'failed' (the router throws). */
const outcome = (sending: Promise<{ status: number }>): Promise<number | 'failed'> => sending.then((result) => result.status, () => 'failed');

describe('the twenty-fourth attack: a caller cannot take an endpoint away from everyone', () => {
  // OpenAI's 400 quotes the caller's field names: "per day" and "billing" read as a spent quota, and disabled the
  // endpoint for an hour for every caller (and, through a shared store, the whole fleet).
  it.each(['per day', 'billing', 'spend limit', 'Your credit balance is too low'])('is not disabled by a 400 that quotes a field named %j', async (field) => {
    const { router, transport } = oneEndpoint((_, body) => body.includes(field)
      ? { status: 400, body: { error: { message: `Unrecognized request argument supplied: ${field}`, type: 'invalid_request_error', param: null, code: null } } }
      : served);
    expect(await outcome(router.send(chat('gpt-4.1', { [field]: 1 })))).toBe('failed');
    expect(await outcome(router.send(chat('gpt-4.1')))).toBe(200);
    expect(transport.callsTo('a')).toHaveLength(2);
    expect((await router.health())[0]).toMatchObject({ available: true, disabledUntil: 0 });
  });

  // OpenRouter quotes an unknown model at the start of its message.
  it('is not disabled by a 400 that quotes a model named like a provider\'s billing sentence', async () => {
    const trap = 'Your credit balance is too low to access the Anthropic API';
    const { router } = oneEndpoint((model) => model === trap
      ? { status: 400, body: { error: { message: `${trap} is not a valid model ID`, code: 400 } } }
      : served);
    expect(await outcome(router.send(chat(trap)))).toBe('failed');
    expect(await outcome(router.send(chat('gpt-4.1')))).toBe(200);
  });

  it("still disables an endpoint on Anthropic's own credit-balance 400, for every model", async () => {
    const { router, transport } = oneEndpoint(() => ({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.' } } }));
    expect(await outcome(router.send(chat('claude-sonnet-4-5')))).toBe('failed');
    expect(await outcome(router.send(chat('claude-haiku-4-5')))).not.toBe(200);
    expect(transport.callsTo('a')).toHaveLength(1);
    expect((await router.health())[0]!.disabledUntil).toBeGreaterThan(0);
  });
});

describe("the twenty-fourth attack: one model's limit or access is that model's", () => {
  const check = async (refusal: ReturnType<Extract<EndpointScript, Function>>, refusedModel: string) => {
    const { router, transport, clock } = oneEndpoint((model) => (model === refusedModel ? refusal : served));
    expect(await outcome(router.send(chat(refusedModel)))).not.toBe(200);
    // Another model on the same endpoint is served at once, and the refused one is not asked again for the hour.
    expect(await outcome(router.send(chat('gpt-4.1')))).toBe(200);
    clock.advance(60_000);
    expect(await outcome(router.send(chat(refusedModel)))).not.toBe(200);
    expect(transport.callsTo('a').map((call) => modelOf(requestText(call.request)))).toEqual([refusedModel, 'gpt-4.1']);
    expect((await router.health())[0]).toMatchObject({ available: true, disabledUntil: 0 });
  };

  it("cools only the model a project may not use (OpenAI's 403 model_not_found): a caller asking for it took the endpoint away for an hour", async () => {
    await check({ status: 403, body: { error: { message: 'Project `proj_abc` does not have access to model `gpt-5-pro`', type: 'invalid_request_error', param: null, code: 'model_not_found' } } }, 'gpt-5-pro');
  });

  it("cools only the model whose requests per day ran out (OpenAI's RPD are per model)", async () => {
    await check({ status: 429, body: { error: { message: 'Rate limit reached for gpt-4o-mini in organization org-x on requests per day (RPD): Limit 10000, Used 10000, Requested 1. Please try again in 2h30m0s.', type: 'requests', param: null, code: 'rate_limit_exceeded' } } }, 'gpt-4o-mini');
  });

  it("cools only the model whose Gemini quota is per model, a zero one too", async () => {
    const perModel = (quotaId: string, message: string) => ({ status: 429, body: [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message, details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId }] }] } }] });
    await check(perModel('GenerateRequestsPerDayPerProjectPerModel-FreeTier', 'You exceeded your current quota'), 'gemini-2.5-flash');
    await check(perModel('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', 'Quota exceeded for metric: x, limit: 0'), 'gemini-2.5-pro');
  });

  it('still disables the endpoint for a spent balance and for a key that is no longer valid', async () => {
    for (const refusal of [
      { status: 429, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } } },
      { status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } },
    ]) {
      const { router, transport } = oneEndpoint(() => refusal);
      await outcome(router.send(chat('gpt-4o-mini')));
      expect(await outcome(router.send(chat('gpt-4.1')))).not.toBe(200);
      expect(transport.callsTo('a')).toHaveLength(1);
    }
  });
});

describe('the twenty-fourth attack: a generation that failed is no answer', () => {
  /** Endpoint a answers `failed`, b serves: the request's answer, a's calls, and each attempt's cost record. */
  const failedOnA = async (failed: Record<string, unknown>) => {
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: [{ body: failed }], b: [served] }, { now: clock.now, advance: clock.advance });
    const router = createRouter({ endpoints: ['a', 'b'].map((name) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}` })), rescue: 'off' } as RouterOptionsInput, {
      transport, clock, sleep: clock.sleep, random: () => 0,
    });
    const costs: [string, string][] = [];
    router.subscribe((event) => {
      if (event.type === 'cost-record') costs.push([event.endpoint, event.outcome]);
    });
    const result = await router.send(chat('gpt-4.1'));
    return { result, callsToA: transport.callsTo('a').length, costs };
  };
  const failedChoice = (content: string) => ({ index: 0, message: { role: 'assistant', content }, finish_reason: 'error' });

  it('fails a JSON chat completion whose every choice finished in "error" over to another endpoint (review)', async () => {
    const { result, callsToA, costs } = await failedOnA({ ...(chatCompletion('') as Record<string, unknown>), choices: [failedChoice('')] });
    expect([result.status, result.endpoint]).toEqual([200, 'b']);
    expect(callsToA).toBe(1);
    // Generated, so priced as its stream is (second review).
    expect(costs).toEqual([['a', 'failed'], ['b', 'success']]);
  });

  it('fails one over that carries an error beside its failed choices, as OpenRouter sends it (third review)', async () => {
    const { result, costs } = await failedOnA({ ...(chatCompletion('') as Record<string, unknown>), error: { message: 'provider died', code: 502 }, choices: [failedChoice('half an answer')] });
    expect([result.status, result.endpoint]).toEqual([200, 'b']);
    expect(costs).toEqual([['a', 'failed'], ['b', 'success']]);
  });
});
