import { describe, expect, it } from 'vitest';
import { createRouter } from '../engine/router';
import { createFakeClock } from '../testing/fake-clock';
import { createScriptedTransport } from '../testing/scripted-transport';
import { createDetourFetch } from './create-detour-fetch';

const overloaded = { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } };

const setup = () => {
  const clock = createFakeClock();
  const transport = createScriptedTransport({ claude: [overloaded] }, { now: clock.now, advance: clock.advance });
  const router = createRouter(
    { endpoints: [{ name: 'claude', baseUrl: 'https://api.anthropic.com/v1', apiKey: 'sk-ant', provider: 'anthropic' }], maxAttempts: 1 },
    { transport, clock, sleep: clock.sleep },
  );
  return createDetourFetch(router);
};

describe('createDetourFetch errors', () => {
  it("answers a /messages request in Anthropic's error shape", async () => {
    const response = await setup()('https://api.anthropic.com/v1/messages', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 8, messages: [] }),
    });
    expect(response.status).toBe(529);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it("answers a chat request nobody speaks in OpenAI's shape, with api_not_served", async () => {
    const response = await setup()('https://api.openai.com/v1/chat/completions', {
      method: 'POST', body: JSON.stringify({ model: 'claude-sonnet-4-5', messages: [] }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'api_not_served' } });
  });
});

describe('createDetourFetch, with an upstream that echoes its key', () => {
  const apiKey = 'sk-proj-PRIMARYKEY0123456789abcdefABCDEF';
  const fetchWith = (reply: object) => {
    const clock = createFakeClock();
    const transport = createScriptedTransport({ a: [reply] }, { now: clock.now, advance: clock.advance });
    const router = createRouter({ endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey }], maxAttempts: 1 }, { transport, clock, sleep: clock.sleep });
    return createDetourFetch(router);
  };
  const chat = { method: 'POST', body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) };

  it('scrubs the key from an error body and headers the SDK would put in its error', async () => {
    const detourFetch = fetchWith({ status: 401, headers: { 'x-echo-auth': `Bearer ${apiKey}` }, body: { error: { message: `Incorrect API key provided: ${apiKey}.`, code: 'invalid_api_key' } } });
    const response = await detourFetch('https://api.openai.com/v1/chat/completions', chat);
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(text).toContain('Incorrect API key provided: [redacted].');
    expect(response.headers.get('x-echo-auth')).toBe('Bearer [redacted]');
  });

  it('scrubs the key from a served answer’s headers and body', async () => {
    const detourFetch = fetchWith({ headers: { 'x-echo-auth': `Bearer ${apiKey}` }, body: { choices: [{ index: 0, message: { role: 'assistant', content: `echo ${apiKey}` }, finish_reason: 'stop' }] } });
    const response = await detourFetch('https://api.openai.com/v1/chat/completions', chat);
    expect(response.headers.get('x-echo-auth')).toBe('Bearer [redacted]');
    expect(await response.text()).not.toContain(apiKey);
  });
});
