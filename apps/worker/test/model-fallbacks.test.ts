import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

const upstreams: ChaosUpstream[] = [];
const gateways: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const start = async (router: Record<string, unknown>) => {
  // Both providers give gpt-4.1-mini a 100-token window; only `large` serves gpt-4.1, under its own name.
  const small = await startChaosUpstream({ name: 'small', contextWindows: { 'gpt-4.1-mini': 100 } });
  const large = await startChaosUpstream({ name: 'large', contextWindows: { 'gpt-4.1-mini': 100 } });
  upstreams.push(small, large);
  const config = loadConfig(
    {
      endpoints: [
        { name: 'small', baseUrl: small.baseUrl, apiKey: 'sk-small', models: ['gpt-4.1-mini'] },
        { name: 'large', baseUrl: large.baseUrl, apiKey: 'sk-large', priority: 1, models: { 'gpt-4.1-mini': 'gpt-4.1-mini', 'gpt-4.1': 'gpt-4.1-2025-04-14' } },
      ],
      gatewayKeys: ['gk-fallbacks'],
      router,
    },
    {},
  );
  const gateway = await startGateway({ config });
  gateways.push(gateway);
  return { small, large, gateway, openai: new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-fallbacks', maxRetries: 0 }) };
};

const long = { model: 'gpt-4.1-mini', messages: [{ role: 'user' as const, content: 'word '.repeat(200) }] };

describe('model fallbacks through the gateway', () => {
  it('answers a prompt too long for gpt-4.1-mini from gpt-4.1, never resending it unchanged to the small model', async () => {
    const { small, large, openai, gateway } = await start({ fallbacks: { 'gpt-4.1-mini': { contextLength: 'gpt-4.1' } } });
    const { data, response } = await openai.chat.completions.create(long).withResponse();
    expect(response.headers.get('x-detour-model')).toBe('gpt-4.1');
    expect(response.headers.get('x-detour-endpoint')).toBe('large');
    expect(data.model).toBe('gpt-4.1-2025-04-14');
    // The small model said "too long" once; the large endpoint's own gpt-4.1-mini was never asked the same question.
    expect(small.stats().byOutcome).toEqual({ 'context-length': 1 });
    expect(large.stats().byModel).toEqual({ 'gpt-4.1-2025-04-14': 1 });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('detour_model_fallbacks_total{from="gpt-4.1-mini",to="gpt-4.1",reason="context_length_exceeded"} 1');
  });

  it('without a fallback, relays the 400 after one attempt: the too-long request is never sent twice', async () => {
    const { small, large, openai } = await start({});
    const error = await openai.chat.completions.create(long).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
    expect(small.stats().total + large.stats().total).toBe(1);
  });
});

describe('x-detour-model with a hostile model name', () => {
  it('percent-encodes a name that is not visible ASCII instead of failing the answer', async () => {
    const upstream = await startChaosUpstream({ name: 'only' });
    upstreams.push(upstream);
    const config = loadConfig({ endpoints: [{ name: 'only', baseUrl: upstream.baseUrl, apiKey: 'sk-only' }], gatewayKeys: ['gk'] }, {});
    const gateway = await startGateway({ config });
    gateways.push(gateway);
    // (Control characters never get this far: a model name with one is refused, see hardening.test.ts.)
    const model = 'gpt-ünï "code"';
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer gk', 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-detour-model')).toBe(encodeURIComponent(model));
  });
});
