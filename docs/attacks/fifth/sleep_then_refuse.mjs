// Defect repro: callers sleep for the whole Retry-After and then give up without another attempt.
// 200 concurrent callers, one endpoint answering 429 + Retry-After: RA ms (default 5 s).
import { createFetch } from '/work/main/packages/node/dist/index.js';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const N = +(process.env.N ?? 200); const RA = +(process.env.RA ?? 5000);
const u = await startChaosUpstream({ name: 'u0', script: [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: RA } }] });
const budget = process.env.BIG_BUDGET ? { retryBudget: { ratio: 1, minPerSecond: 10000 } } : {};
const fetch = createFetch({ endpoints: [{ name: 'u0', baseUrl: u.baseUrl, apiKey: 'k' }], deadlineMs: 60000, maxAttempts: 2, ...budget });
let waits = 0; fetch.router.subscribe(e => { if (e.type === 'retry-wait') waits++; });
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
const rows = [];
await Promise.all(Array.from({ length: N }, async () => {
  const s = Date.now();
  const r = await fetch('http://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await r.text();
  rows.push({ status: r.status, attempts: r.headers.get('x-detour-attempts'), s: Math.round((Date.now() - s) / 1000) });
}));
const g = {};
for (const r of rows) { const k = `HTTP ${r.status}, x-detour-attempts ${r.attempts}, took ~${r.s}s`; g[k] = (g[k] || 0) + 1; }
console.log(JSON.stringify({ retryBudget: budget.retryBudget ?? 'default', upstreamRequests: u.stats().total, retryWaitEvents: waits, callers: g }, null, 1));
await u.close(); process.exit(0);
