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
