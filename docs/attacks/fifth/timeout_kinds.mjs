// Defect repro: an endpoint that accepts requests and never answers is never taken out of rotation when the
// request deadline (not attemptTimeoutMs, which is unset by default) ends each attempt. Half the requests fail
// with 504 while a healthy endpoint is idle; the breaker never opens (kindPolicies.timeout says breaker: failure).
import { createFetch } from '/work/main/packages/node/dist/index.js';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
import { kindPolicies } from '/work/main/packages/core/dist/signals.js';
const a = await startChaosUpstream({ name: 'hangs', script: [{ fault: JSON.parse(process.env.FAULT ?? '{"type":"hang"}') }] });
const b = await startChaosUpstream({ name: 'healthy' });
const ATO = process.env.ATO ? { attemptTimeoutMs: +process.env.ATO } : {};
const stream = !!process.env.STREAM;
const fetch = createFetch({ endpoints: [{ name: 'hangs', baseUrl: a.baseUrl, apiKey: 'k' }, { name: 'healthy', baseUrl: b.baseUrl, apiKey: 'k' }], deadlineMs: 1000, ...ATO, ...JSON.parse(process.env.OPTS ?? '{}') });
const kinds = {}; let breakerChanges = 0;
fetch.router.subscribe(e => { if (e.type === 'attempt-end' && e.endpoint === 'hangs') kinds[e.kind] = (kinds[e.kind] || 0) + 1; if (e.type === 'breaker-change') breakerChanges++; });
const body = JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'hi' }] });
const res = {};
for (let i = 0; i < 30; i++) {
  const r = await fetch('http://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  try { await r.text(); } catch {}
  const k = `${r.status} ${r.headers.get('x-detour-endpoint') ?? r.headers.get('x-detour-error')}`; res[k] = (res[k] || 0) + 1;
}
console.log(JSON.stringify({ options: { deadlineMs: 1000, ...ATO, ...JSON.parse(process.env.OPTS ?? '{}'), stream }, sequentialRequests: 30, results: res, requestsSentToHangingEndpoint: a.stats().total,
  attemptEndKindsOnHangingEndpoint: kinds, breakerChangeEvents: breakerChanges, documentedPolicyForTimeout: kindPolicies.timeout,
  healthAfter: JSON.stringify(await fetch.router.health()).slice(0, 400) }));
await a.close(); await b.close(); process.exit(0);
