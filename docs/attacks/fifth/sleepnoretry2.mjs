// Same as sleepnoretry.mjs with Retry-After 10 s; print retry-wait reasons and per-caller outcome
import { createFetch } from '/work/main/packages/node/dist/index.js';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const N = +(process.env.N ?? 200); const RA = +(process.env.RA ?? 10000);
const u = await startChaosUpstream({ name: 'u0', script: [{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: RA } }] });
const fetch = createFetch({ endpoints: [{ name: 'u0', baseUrl: u.baseUrl, apiKey: 'k' }], deadlineMs: 60000 });
const reasons = {}; fetch.router.subscribe(e => { if (e.type==='retry-wait') { const k = e.reason.replace(/\d+/g,'#'); reasons[k]=(reasons[k]||0)+1; } });
const body = JSON.stringify({model:'gpt-4o-mini', messages:[{role:'user',content:'hi'}]});
const rows = [];
await Promise.all(Array.from({length:N}, async () => { const s=Date.now(); const r = await fetch('http://x/v1/chat/completions', { method:'POST', headers:{'content-type':'application/json'}, body }); await r.text();
  rows.push({ status: r.status, attempts: +r.headers.get('x-detour-attempts'), ms: Date.now()-s }); }));
const g = {}; for (const r of rows) { const k = `status ${r.status} attempts ${r.attempts} took ${Math.round(r.ms/1000)}s`; g[k]=(g[k]||0)+1; }
console.log('upstream requests', u.stats().total, g, reasons);
await u.close(); process.exit(0);
