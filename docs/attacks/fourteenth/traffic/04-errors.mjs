// Provider errors as the openai SDK sees them: direct, via the gateway, via createFetch. Class, status, code, param,
// type, message, requestID, and how many requests reached the upstream.
import OpenAI from 'openai';
import { upstream, gateway, createFetch, json, UPKEY, GK, show } from './lib.mjs';

let mode = '';
const errs = {
  bad_param: [400, { error: { message: "Invalid value for 'temperature': must be <= 2.", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } }],
  context: [400, { error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }],
  model_404: [404, { error: { message: 'The model `gpt-9` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' } }],
  rate_429: [429, { error: { message: 'Rate limit reached for gpt-4.1 on tokens per min (TPM): Limit 30000, Used 30000.', type: 'tokens', param: null, code: 'rate_limit_exceeded' } }],
  quota_429: [429, { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }],
  unprocessable_422: [422, { error: { message: 'Unprocessable', type: 'invalid_request_error', param: 'x', code: null } }],
  conflict_409: [409, { error: { message: 'Conflict', type: 'invalid_request_error', param: null, code: null } }],
  server_500: [500, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }],
  forbidden_403: [403, { error: { message: 'Country, region, or territory not supported', type: 'request_forbidden', param: null, code: 'unsupported_country_region_territory' } }],
};
const up = await upstream((req, buf, res) => {
  const [status, body] = errs[mode];
  json(res, status, body, { 'x-request-id': `req_${mode}`, ...(status === 429 ? { 'retry-after': '1', 'x-ratelimit-reset-tokens': '1s' } : {}) });
});
const maxRetries = Number(process.argv[2] ?? 0);
for (const m of Object.keys(errs)) {
  mode = m;
  // Fresh gateway and fetch per case: a disabling error (insufficient_quota) must not colour the next case.
  const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }], { router: { deadlineMs: 3000 } });
  const fetch = createFetch({ endpoints: [{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }], deadlineMs: 3000 });
  const clients = {
    direct: new OpenAI({ apiKey: UPKEY, baseURL: up.url, maxRetries }),
    gateway: new OpenAI({ apiKey: GK, baseURL: `${gw.url}/v1`, maxRetries }),
    createFetch: new OpenAI({ apiKey: 'x', fetch, maxRetries }),
  };
  for (const [name, c] of Object.entries(clients)) {
    const before = up.seen.length;
    try {
      await c.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
      show(`${m} ${name}`, 'NO ERROR');
    } catch (e) {
      show(`${m} ${name}`, `${e.constructor.name} status=${e.status} code=${e.code} param=${e.param} type=${e.type} reqid=${e.requestID} hits=${up.seen.length - before} msg=${String(e.error?.message ?? e.message).slice(0, 90)}`);
    }
  }
  await gw.close(0); await fetch.router.close();
}
await up.close();
