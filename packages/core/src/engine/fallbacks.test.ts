import { describe, expect, it } from 'vitest';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { InvalidOptionsError } from '../errors/invalid-options-error';
import { toResponse } from '../fetch/to-response';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedCall, type ScriptedReply, requestText } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

const tooLong: ScriptedReply = {
  status: 400,
  body: {
    error: {
      message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    },
  },
};
const anthropicTooLong: ScriptedReply = {
  status: 400,
  body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } },
};
const flagged: ScriptedReply = {
  status: 400,
  body: { error: { message: 'Your request was rejected as a result of our safety system.', type: 'invalid_request_error', param: null, code: 'content_policy_violation' } },
};
const answer = (model: string): ScriptedReply => ({ body: chatCompletion(`from ${model}`, { model }) });
/** Answers as the model named in the body would: too long for the small one, fine for the others. */
const byModel = (refusal: ScriptedReply, refusing = 'gpt-4.1-mini'): EndpointScript => (request) => {
  const model = JSON.parse(requestText(request)).model as string;
  return model === refusing ? refusal : answer(model);
};
const chat = (model = 'gpt-4.1-mini') => ({
  path: '/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model, messages: [{ role: 'user', content: 'a very long prompt' }] }),
});
const sentModel = (call: ScriptedCall) => JSON.parse(requestText(call.request)).model;

const setup = (scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput>) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter({ ...options } as RouterOptionsInput, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, transport, router, events };
};
const endpoint = (name: string, extra: Record<string, unknown> = {}) => ({ name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}`, ...extra });

describe('model fallbacks', () => {
  it('without a fallback, a context_length_exceeded 400 reaches the caller after one attempt, never resent', async () => {
    const { router, transport } = setup(
      { primary: byModel(tooLong), backup: byModel(tooLong) },
      { endpoints: [endpoint('primary'), endpoint('backup', { priority: 1 })] },
    );
    const error = await router.send(chat()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AttemptsExhaustedError);
    expect((error as AttemptsExhaustedError).reason).toBe('not_retryable');
    expect((error as AttemptsExhaustedError).lastResponse?.status).toBe(400);
    expect(transport.calls).toHaveLength(1);
  });

  it('routes a too-long request to the contextLength model, on the endpoints serving it under their own names', async () => {
    const { router, transport, events } = setup(
      { small: byModel(tooLong), azure: byModel(tooLong, 'none') },
      {
        endpoints: [
          endpoint('small', { models: ['gpt-4.1-mini'] }),
          endpoint('azure', { models: { 'gpt-4.1': 'my-gpt41-deployment' }, priority: 1 }),
        ],
        fallbacks: { 'gpt-4.1-mini': { contextLength: 'gpt-4.1' } },
      },
    );
    const result = await router.send(chat());
    expect(result.endpoint).toBe('azure');
    expect(result.model).toBe('gpt-4.1');
    expect(result.upstreamModel).toBe('my-gpt41-deployment');
    expect(transport.calls.map(sentModel)).toEqual(['gpt-4.1-mini', 'my-gpt41-deployment']);
    const response = toResponse(result);
    expect(response.headers.get('x-detour-model')).toBe('gpt-4.1');
    expect((await response.json()).model).toBe('my-gpt41-deployment');
    expect(events.find((event) => event.type === 'model-fallback')).toMatchObject({
      from: 'gpt-4.1-mini', to: 'gpt-4.1', reason: 'context_length_exceeded', endpoint: 'small',
    });
  });

  it('an endpoint serving both models is asked again, with the larger model: never the unchanged request', async () => {
    const { router, transport } = setup(
      { openai: byModel(anthropicTooLong) },
      { endpoints: [endpoint('openai')], fallbacks: { 'gpt-4.1-mini': { contextLength: 'gpt-4.1' } } },
    );
    const result = await router.send(chat());
    expect(result.model).toBe('gpt-4.1');
    expect(transport.calls.map(sentModel)).toEqual(['gpt-4.1-mini', 'gpt-4.1']);
  });

  it('never sends the request to an endpoint and upstream model pair that already said it is too long', async () => {
    // Both public names map to the same upstream model on this endpoint: the fallback would resend it unchanged.
    const { router, transport } = setup(
      { same: byModel(tooLong, 'base-model') },
      {
        endpoints: [endpoint('same', { models: { 'gpt-4.1-mini': 'base-model', 'gpt-4.1': 'base-model' } })],
        fallbacks: { 'gpt-4.1-mini': { contextLength: 'gpt-4.1' } },
      },
    );
    await expect(router.send(chat())).rejects.toBeInstanceOf(AttemptsExhaustedError);
    expect(transport.calls).toHaveLength(1);
  });

  it('a content-policy refusal goes to the contentPolicy model; a too-long one still ends without a contextLength fallback', async () => {
    const { router, transport } = setup(
      { main: byModel(flagged), lenient: byModel(flagged, 'none') },
      {
        endpoints: [endpoint('main', { models: ['gpt-4.1-mini'] }), endpoint('lenient', { models: ['open-model'] })],
        fallbacks: { 'gpt-4.1-mini': { contentPolicy: 'open-model' } },
      },
    );
    const result = await router.send(chat());
    expect(result).toMatchObject({ endpoint: 'lenient', model: 'open-model' });
    expect(transport.calls.map(sentModel)).toEqual(['gpt-4.1-mini', 'open-model']);
  });

  it('follows a chain, and the fallback model fails over between its own endpoints as usual', async () => {
    const { router, transport } = setup(
      {
        small: byModel(tooLong),
        mid: byModel(tooLong, 'gpt-4.1'),
        bigDown: [{ status: 503, body: { error: { message: 'overloaded', type: 'server_error', code: 'server_is_overloaded' } } }],
        big: byModel(tooLong, 'none'),
      },
      {
        endpoints: [
          endpoint('small', { models: ['gpt-4.1-mini'] }),
          endpoint('mid', { models: ['gpt-4.1'] }),
          endpoint('bigDown', { models: ['gemini-2.5-pro'] }),
          endpoint('big', { models: ['gemini-2.5-pro'], priority: 1 }),
        ],
        fallbacks: { 'gpt-4.1-mini': { contextLength: 'gpt-4.1' }, 'gpt-4.1': { contextLength: 'gemini-2.5-pro' } },
      },
    );
    const result = await router.send(chat());
    expect(result).toMatchObject({ endpoint: 'big', model: 'gemini-2.5-pro' });
    expect(transport.calls.map((call) => call.request.endpoint)).toEqual(['small', 'mid', 'bigDown', 'big']);
  });

  it('validates fallbacks with clear errors', () => {
    const endpoints = [endpoint('a', { models: ['small', 'big'] })];
    const issues = (fallbacks: unknown) => {
      try {
        createRouter({ endpoints, fallbacks } as RouterOptionsInput, { transport: createScriptedTransport({}) });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionsError);
        return (error as InvalidOptionsError).message;
      }
    };
    expect(issues({ small: { contextLength: 'huge' } })).toMatch(/fallbacks\.small\.contextLength: no endpoint serves the fallback model "huge"/);
    expect(issues({ small: { contextLength: 'small' } })).toMatch(/cannot fall back to itself/);
    expect(issues({ small: {} })).toMatch(/give contextLength, contentPolicy or both/);
    expect(issues({ small: { contextLenght: 'big' } })).toMatch(/contextLenght/);
    expect(issues({ ghost: { contextLength: 'big' } })).toMatch(/no endpoint serves the model "ghost"/);
    expect(issues({ small: { contextLength: 'big' }, big: { contextLength: 'small' } })).toMatch(/loop: small → big → small/);
    expect(issues({ small: { contextLength: 'big', contentPolicy: 'big' } })).toEqual([]);
    expect(issues({ small: { contextLength: 'big' }, big: 'nonsense' })).toMatch(/fallbacks\.big/);
  });
});
