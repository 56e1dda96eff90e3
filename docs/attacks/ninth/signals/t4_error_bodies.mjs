// Error bodies on primary a (b healthy): failover? retried on a? how long is a out? next request?
import { upstream, createRouter, OK, ERR, send, health, eps } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
const oai = (code, message, type = 'insufficient_quota') => ({ error: { message, type, param: null, code } });
const ant = (type, message) => ({ type: 'error', error: { type, message }, request_id: 'req_1' });
const cases = [
  ['429 insufficient_quota', 429, {}, oai('insufficient_quota', 'You exceeded your current quota, please check your plan and billing details.')],
  ['429 insufficient_quota + retry-after 1', 429, { 'retry-after': '1' }, oai('insufficient_quota', 'You exceeded your current quota, please check your plan and billing details.')],
  ['429 insufficient_quota + x-should-retry true', 429, { 'x-should-retry': 'true' }, oai('insufficient_quota', 'You exceeded your current quota, please check your plan and billing details.')],
  ['429 insufficient_quota + x-ratelimit rem 0 reset 2s', 429, { 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' }, oai('insufficient_quota', 'You exceeded your current quota.')],
  ['429 billing_hard_limit_reached', 429, {}, oai('billing_hard_limit_reached', 'Billing hard limit has been reached', 'invalid_request_error')],
  ['429 rate_limit_exceeded try again in 1.146s', 429, {}, oai('rate_limit_exceeded', 'Rate limit reached for gpt-4 on tokens per min (TPM): Limit 30000, Used 29000, Requested 1500. Please try again in 1.146s.', 'tokens')],
  ['429 rate_limit_exceeded try again in 84ms', 429, {}, oai('rate_limit_exceeded', 'Rate limit reached. Please try again in 84ms.', 'requests')],
  ['429 Request too large', 429, {}, oai('rate_limit_exceeded', 'Request too large for gpt-4o on tokens per min (TPM): Limit 30000, Requested 34307. The input or output tokens must be reduced in order to run successfully.', 'tokens')],
  ['400 context_length_exceeded', 400, {}, oai('context_length_exceeded', "This model's maximum context length is 8192 tokens.", 'invalid_request_error')],
  ['503 server_is_overloaded', 503, {}, oai('server_is_overloaded', 'The server is overloaded', 'server_error')],
  ['503 slow_down', 503, {}, oai('slow_down', 'Please slow down', 'server_error')],
  ['500 openai server_error', 500, {}, oai(null, 'The server had an error', 'server_error')],
  ['ANT 529 overloaded_error', 529, {}, ant('overloaded_error', 'Overloaded')],
  ['ANT 429 rate_limit_error + retry-after 10', 429, { 'retry-after': '10' }, ant('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit')],
  ['ANT 429 spend limit', 429, {}, ant('rate_limit_error', 'You have reached your specified workspace API usage limits. You will regain access on 2026-01-01 at 00:00 UTC.')],
  ['ANT 500 api_error', 500, {}, ant('api_error', 'Internal server error')],
  ['ANT 504 timeout_error', 504, {}, ant('timeout_error', 'timeout')],
  ['ANT 400 credit balance too low', 400, {}, ant('invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.')],
  ['ANT 402 billing_error', 402, {}, ant('billing_error', 'billing')],
  ['401 authentication_error', 401, {}, ant('authentication_error', 'invalid x-api-key')],
  ['401 openai invalid_api_key', 401, {}, oai('invalid_api_key', 'Incorrect API key provided', 'invalid_request_error')],
  ['403 permission_error', 403, {}, ant('permission_error', 'Your API key does not have permission to use the specified resource.')],
  ['403 Azure APIM quota', 403, {}, { statusCode: 403, message: 'Out of call volume quota. Quota will be replenished in 00:00:30.' }],
  ['404 model not found', 404, {}, oai('model_not_found', 'The model `m` does not exist or you do not have access to it.', 'invalid_request_error')],
  ['413 request_too_large', 413, {}, ant('request_too_large', 'Request exceeds the maximum allowed number of bytes.')],
  ['400 invalid_request other', 400, {}, oai(null, "Invalid value for 'temperature'", 'invalid_request_error')],
  ['422 unprocessable', 422, {}, oai(null, 'bad params', 'invalid_request_error')],
  ['409 conflict', 409, {}, oai(null, 'conflict', 'invalid_request_error')],
  ['Gemini 429 PerMinute array', 429, {}, [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'You exceeded your current quota, please check your plan and billing details.', details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] }, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '46s' }] } }]],
  ['Gemini 429 PerDay array', 429, {}, [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'quota', details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] }, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '46s' }] } }]],
  ['OpenRouter 429 free-models-per-day', 429, {}, { error: { code: 429, message: 'Rate limit exceeded: free-models-per-day', metadata: { headers: { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Date.now() + 40000) } } } }],
  ['OpenRouter 429 per-minute epoch-ms reset', 429, {}, { error: { code: 429, message: 'Rate limit exceeded: limit_rpm/google/gemini', metadata: { headers: { 'X-RateLimit-Limit': '20', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Date.now() + 40000) } } } }],
];
const fmt = (h) => `dis=${h.disabled} cool=${h.cool} models=${JSON.stringify(h.models)} avail=${h.avail}`;
for (const [label, status, headers, b] of cases) {
  beh = { a: () => ERR(status, headers, b) };
  up.reset();
  const router = createRouter({ endpoints: eps(up, ['a', 'b']) });
  const r1 = await send(router);
  const a = (await health(router)).find((x) => x.name === 'a');
  const r2 = await send(router);
  const r3 = await send(router, 'other-model');
  console.log(`${label.padEnd(48)} r1=${r1.ok ? 'OK@' + r1.endpoint : 'ERR ' + r1.code} [${(r1.attempts || []).join(',')}] | a: ${fmt(a)} | r2 [${(r2.attempts || []).join(',')}] | other-model r3 [${(r3.attempts || []).join(',')}]`);
  await router.close();
}
await up.close();
