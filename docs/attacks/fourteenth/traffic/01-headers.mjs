// What request headers reach the upstream, and what response headers reach the openai SDK: direct vs via the gateway.
import OpenAI from 'openai';
import { upstream, gateway, json, UPKEY, GK, show } from './lib.mjs';

const up = await upstream((req, body, res) => {
  json(res, 200, { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4.1', system_fingerprint: 'fp_x', service_tier: 'default',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hi', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }, {
    'x-request-id': 'req_upstream123', 'openai-processing-ms': '42', 'openai-organization': 'org-abc', 'openai-version': '2020-10-01',
    'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '499', 'x-ratelimit-reset-requests': '120ms',
    'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-remaining-tokens': '29985', 'x-ratelimit-reset-tokens': '30ms',
  });
});
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);

const opts = { organization: 'org-caller', project: 'proj_caller', defaultHeaders: { 'OpenAI-Beta': 'assistants=v2' } };
const direct = new OpenAI({ apiKey: UPKEY, baseURL: up.url, ...opts });
const via = new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1`, ...opts });
const params = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'héllo ☃' }], seed: 12345678901234567890, user: 'u1', metadata: { a: 'b' }, store: true };
const reqOpts = { idempotencyKey: 'idem-1', headers: { 'x-request-id': 'client-req-1' } };
for (const [name, client] of [['direct', direct], ['gateway', via]]) {
  const { data, response, request_id } = await client.chat.completions.create(params, reqOpts).withResponse();
  const seen = up.seen.at(-1);
  const h = { ...seen.headers }; delete h.authorization; delete h.host; delete h['content-length'];
  show(`${name} upstream got headers`, Object.keys(h).sort());
  show(`${name} upstream body`, seen.body);
  show(`${name} client request_id`, request_id);
  show(`${name} client sees ratelimit`, [...response.headers].filter(([k]) => k.startsWith('x-ratelimit') || k.startsWith('openai-')).map(([k, v]) => `${k}=${v}`));
  show(`${name} data keys`, Object.keys(data));
}
await gw.close(0); await up.close();
