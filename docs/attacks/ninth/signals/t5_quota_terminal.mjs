// Terminal quota/billing answers: is the endpoint kept out, and does the request fail over?
import { upstream, createRouter, OK, ERR, send, health, eps } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
const antUsage = { type: 'error', error: { type: 'invalid_request_error', message: 'You have reached your specified API usage limits. You will regain access on 2026-04-01 at 00:00 UTC.' }, request_id: 'req_011CZLrUfBVkVHn5T6EqQaf7' };
const iq = { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } };
const cases = [
  ['ANT 400 "specified API usage limits" (real wording, anthropics/claude-code#38035)', () => ERR(400, {}, antUsage), 0],
  ['ANT 429 "specified API usage limits"', () => ERR(429, {}, { ...antUsage, error: { ...antUsage.error, type: 'rate_limit_error' } }), 0],
  ['OAI 429 insufficient_quota + retry-after: 1; resend after 1.3 s', () => ERR(429, { 'retry-after': '1' }, iq), 1300],
  ['OAI 429 insufficient_quota + retry-after-ms: 0; resend at once', () => ERR(429, { 'retry-after-ms': '0' }, iq), 0],
  ['Gemini 429 PerDay + retryDelay 1s; resend after 1.3 s', () => ERR(429, {}, [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'quota', details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] }, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' }] } }]), 1300],
];
for (const [label, f, waitMs] of cases) {
  beh = { a: f };
  up.reset();
  const router = createRouter({ endpoints: eps(up, ['a', 'b']) });
  const r1 = await send(router);
  const a = (await health(router)).find((x) => x.name === 'a');
  await new Promise((r) => setTimeout(r, waitMs));
  const later = [];
  for (let i = 0; i < 3; i++) later.push((await send(router)).attempts.join(','));
  console.log(`${label}\n   r1=${r1.ok ? 'OK@' + r1.endpoint : 'ERR ' + r1.code} [${(r1.attempts || []).join(',')}] a: disabled=${a.disabled}ms cool=${a.cool} models=${JSON.stringify(a.models)}\n   next 3 (after ${waitMs} ms): ${later.join(' | ')}  total hits=${JSON.stringify(up.counts)}`);
  await router.close();
}
await up.close();
