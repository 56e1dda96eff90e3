import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiNames, apiOfPath, type ApiName } from '../apis/api-name';
import { DetourError } from '../errors/detour-error';
import type { RouterOptionsInput } from '../options/router-options-schema';
import { createFakeClock } from '../testing/fake-clock';
import { chatCompletion, createScriptedTransport, type EndpointScript, type ScriptedReply } from '../testing/scripted-transport';
import type { RouterEvent } from './events';
import { createRouter } from './router';

const message = { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hi' }], usage: { input_tokens: 10, output_tokens: 2 } };
const anthropic429: ScriptedReply = {
  status: 429,
  headers: { 'retry-after': '30', 'anthropic-ratelimit-requests-remaining': '0' },
  body: { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your rate limit.' } },
};
const messages = (model = 'claude-sonnet-4-5') => ({
  path: '/messages',
  headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'caller-key' },
  body: JSON.stringify({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hello' }] }),
});
const chat = (model = 'gpt-4.1') => ({ path: '/chat/completions', body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] }) });

const setup = (endpoints: RouterOptionsInput['endpoints'], scripts: Record<string, EndpointScript>, options: Partial<RouterOptionsInput> = {}) => {
  const clock = createFakeClock();
  const transport = createScriptedTransport(scripts, { now: clock.now, advance: clock.advance });
  const router = createRouter({ endpoints, ...options }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
  const events: RouterEvent[] = [];
  router.subscribe((event) => events.push(event));
  return { clock, transport, router, events };
};

const fleet: RouterOptionsInput['endpoints'] = [
  { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-openai', provider: 'openai' },
  { name: 'claude', baseUrl: 'https://api.anthropic.com/v1', apiKey: 'sk-ant-claude', provider: 'anthropic' },
];

describe('routing by API', () => {
  it('sends a Messages request only to the endpoint that speaks it, with its key in x-api-key', async () => {
    const { router, transport } = setup(fleet, { openai: [{ body: chatCompletion('no') }], claude: [{ body: message }] });
    const result = await router.send(messages());
    expect(result.endpoint).toBe('claude');
    expect(transport.callsTo('openai')).toHaveLength(0);
    const { headers, url } = transport.callsTo('claude')[0]!.request;
    expect(url).toBe('https://api.anthropic.com/v1/messages');
    expect(headers['x-api-key']).toBe('sk-ant-claude');
    expect(headers.authorization).toBeUndefined();
    expect(headers['anthropic-version']).toBe('2023-06-01');
  });

  it('sends a chat request only to the endpoints that speak chat', async () => {
    const { router, transport } = setup(fleet, { openai: [{ body: chatCompletion('yes') }], claude: [{ body: message }] });
    expect((await router.send(chat())).endpoint).toBe('openai');
    expect(transport.callsTo('claude')).toHaveLength(0);
  });

  it('routes a path of no API (/models) to every endpoint, as before', async () => {
    const { router } = setup([fleet[1]!], { claude: [{ body: { data: [] } }] });
    expect((await router.send({ path: '/models' })).endpoint).toBe('claude');
  });

  it('fails over a 429 only between endpoints of the same API', async () => {
    const endpoints = [...fleet, { name: 'claude-2', baseUrl: 'https://api.anthropic.com/v1', apiKey: 'sk-ant-2', provider: 'anthropic' as const, priority: 1 }];
    const { router, transport } = setup(endpoints, { openai: [{ body: chatCompletion('no') }], claude: [anthropic429], 'claude-2': [{ body: message }] });
    const result = await router.send(messages());
    expect(result.attempts.map((attempt) => attempt.endpoint)).toEqual(['claude', 'claude-2']);
    expect(transport.callsTo('openai')).toHaveLength(0);
  });

  it('answers api_not_served (404) naming the API and model when the model is served on another API only', async () => {
    const { router, transport } = setup([fleet[0]!], { openai: [{ body: chatCompletion('no') }] });
    const error = await router.send(messages('gpt-4.1')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DetourError);
    expect(error).toMatchObject({ code: 'api_not_served', message: expect.stringMatching(/messages API.*"gpt-4\.1"/) });
    expect(transport.calls).toHaveLength(0);
  });

  it('keeps model_not_found for a model no endpoint serves on any API', async () => {
    const { router } = setup([{ ...fleet[0]!, models: ['gpt-4.1'] }, { ...fleet[1]!, models: ['claude-sonnet-4-5'] }], { openai: [], claude: [] });
    await expect(router.send(chat('nobody'))).rejects.toMatchObject({ code: 'model_not_found' });
    await expect(router.send(messages('gpt-4.1'))).rejects.toMatchObject({ code: 'api_not_served' });
  });

  it('cools an endpoint once for every API it speaks: a 429 on chat is seen by the next Responses request for the model', async () => {
    const both = { name: 'both', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-both', provider: 'openai' as const };
    const spare = { name: 'spare', baseUrl: 'https://spare.example/v1', apiKey: 'sk-spare', priority: 1 };
    const response = { id: 'resp_1', object: 'response', status: 'completed', output: [], usage: { input_tokens: 3, output_tokens: 1 } };
    const { router, transport } = setup([both, spare], {
      both: [{ status: 429, headers: { 'retry-after': '30' }, body: { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } } }, { body: response }],
      spare: [{ body: chatCompletion('spare') }, { body: response }],
    });
    expect((await router.send(chat())).endpoint).toBe('spare');
    const result = await router.send({ path: '/responses', body: JSON.stringify({ model: 'gpt-4.1', input: 'hello' }) });
    expect(result.endpoint).toBe('spare');
    expect(result.attempts).toHaveLength(1);
    expect(transport.callsTo('both')).toHaveLength(1);
  });

  it('cools an endpoint once for every API it speaks: a 529 on messages is seen by the next chat request', async () => {
    const both = { name: 'both', baseUrl: 'https://relay.example/v1', apiKey: 'sk-both', apis: ['chat', 'messages'] as ApiName[] };
    const spare = { name: 'spare', baseUrl: 'https://spare.example/v1', apiKey: 'sk-spare', apis: ['chat', 'messages'] as ApiName[], priority: 1 };
    const { router, transport } = setup([both, spare], {
      both: [{ status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }, { body: chatCompletion('both') }],
      spare: [{ body: message }, { body: chatCompletion('spare') }],
    });
    expect((await router.send(messages())).endpoint).toBe('spare');
    expect((await router.send(chat())).endpoint).toBe('spare');
    expect(transport.callsTo('both')).toHaveLength(1);
    const health = await router.health();
    expect(health.find((entry) => entry.name === 'both')?.restingUntil).toBeGreaterThan(0);
    expect(health.find((entry) => entry.name === 'both')).toMatchObject({ available: true, apis: ['chat', 'messages'] });
  });

  it('reports the API on attempt, cost and request events, and each endpoint\'s APIs in health', async () => {
    const { router, events } = setup(fleet, { openai: [{ body: chatCompletion('yes') }], claude: [{ body: message }] });
    await router.send(messages());
    await router.send({ path: '/models' });
    const typed = events.filter((event) => ['attempt-start', 'attempt-end', 'request-end'].includes(event.type));
    expect(typed.map((event) => [event.type, 'api' in event ? event.api : 'none'])).toEqual([
      ['attempt-start', 'messages'], ['attempt-end', 'messages'], ['request-end', 'messages'],
      ['attempt-start', undefined], ['attempt-end', undefined], ['request-end', undefined],
    ]);
    expect((await router.health()).map((entry) => [entry.name, entry.apis])).toEqual([
      ['openai', ['chat', 'completions', 'embeddings', 'responses']],
      ['claude', ['messages']],
    ]);
  });

  it('reports the API on cost records', async () => {
    const { router, events } = setup(fleet, { openai: [{ body: chatCompletion('yes') }], claude: [] });
    await router.send(chat());
    expect(events.find((event) => event.type === 'cost-record')).toMatchObject({ api: 'chat', endpoint: 'openai' });
  });
});

describe('routing by API (property)', () => {
  const paths: Record<ApiName, string> = { chat: '/chat/completions', completions: '/completions', embeddings: '/embeddings', responses: '/responses', messages: '/messages' };
  const apiSets = fc.subarray([...apiNames], { minLength: 1 });
  const replies = fc.constantFrom<ScriptedReply>(
    { body: chatCompletion('ok') },
    { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow', type: 'requests', code: 'rate_limit_exceeded' } } },
    { status: 500, body: { error: { message: 'boom', type: 'server_error' } } },
    { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
  );

  it('sends every attempt of a request to an endpoint that speaks its API', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ apis: apiSets, priority: fc.nat(2), replies: fc.array(replies, { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.constantFrom(...apiNames), { minLength: 1, maxLength: 6 }),
        async (specs, requested) => {
          const endpoints = specs.map((spec, index) => ({ name: `e${index}`, baseUrl: `https://e${index}.example/v1`, apiKey: `sk-${index}`, apis: spec.apis, priority: spec.priority }));
          const scripts = Object.fromEntries(specs.map((spec, index) => [`e${index}`, spec.replies]));
          const { router, transport } = setup(endpoints, scripts, { maxServerDelayMs: 0 });
          const speaks = new Map(endpoints.map((endpoint) => [endpoint.name, endpoint.apis]));
          for (const api of requested) {
            const before = transport.calls.length;
            await router.send({ path: paths[api], body: JSON.stringify({ model: 'm', input: 'hi' }) }).catch(() => undefined);
            for (const call of transport.calls.slice(before)) {
              expect(apiOfPath(new URL(call.request.url).pathname.replace(/^\/v1/, ''))).toBe(api);
              expect(speaks.get(call.request.endpoint)).toContain(api);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
