// Responses API with a reusable prompt (`prompt: { id, version, variables }`): the model lives in the stored prompt,
// so the request carries no `model` (optional in openai 6.x's ResponseCreateParams). Direct vs gateway vs createFetch,
// and what each prices.
import OpenAI from 'openai';
import { upstream, gateway, createFetch, json, UPKEY, GK, show } from './lib.mjs';

const up = await upstream((req, buf, res) => json(res, 200, {
  id: 'resp_p1', object: 'response', created_at: 1, status: 'completed', model: 'gpt-4.1-2025-04-14', prompt: { id: 'pmpt_abc', version: '2', variables: { city: 'Paris' } },
  output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Sunny', annotations: [] }] }],
  usage: { input_tokens: 1000, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1000, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2000 }, error: null, incomplete_details: null,
}));
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
const events = [];
const f = createFetch({ endpoints: [{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }] });
f.router.subscribe((e) => { if (e.type === 'cost-record' || e.type === 'request-end') events.push(e); });
const params = { prompt: { id: 'pmpt_abc', version: '2', variables: { city: 'Paris' } }, input: 'Weather?' };
for (const [name, c] of [['direct', new OpenAI({ apiKey: UPKEY, baseURL: up.url, maxRetries: 0 })], ['gateway', new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1`, maxRetries: 0 })], ['createFetch', new OpenAI({ apiKey: 'x', fetch: f, maxRetries: 0 })]]) {
  try {
    const { data, response } = await c.responses.create(params).withResponse();
    show(name, `ok "${data.output_text}" model=${data.model} x-detour-cost-usd=${response.headers.get('x-detour-cost-usd')}`);
  } catch (e) { show(name, `THROWS ${e.constructor.name} ${e.status} ${e.message.slice(0, 160)}`); }
}
show('gateway access log', gw.logs.map((l) => `${l.route} ${l.status} model=${l.model} cost=${l.costUsd}`));
show('createFetch events', events.map((e) => `${e.type} ${e.costUsd ?? e.cost ?? ''} ${JSON.stringify(e).slice(0, 200)}`));
show('list price of that usage on gpt-4.1', (1000 * 2 + 1000 * 8) / 1e6);
await gw.close(0); await f.router.close(); await up.close();
