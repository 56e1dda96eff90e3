// 200 concurrent requests to one endpoint that answers 503: how many breaker 'closed->open' events, and openUntil?
import { createFetch } from '/work/main/packages/node/dist/index.js';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const N = +(process.env.N ?? 200);
const u = await startChaosUpstream({ name: 'u0', script: [{ fault: { type: 'status', status: +(process.env.S ?? 503) } }] });
const fetch = createFetch({ endpoints: [{ name: 'u0', baseUrl: u.baseUrl, apiKey: 'k' }], deadlineMs: 10000 });
const ev = []; fetch.router.subscribe(e => { if (e.type === 'breaker-change') ev.push(e); });
const body = JSON.stringify({model:'gpt-4o-mini', messages:[{role:'user',content:'hi'}]});
await Promise.all(Array.from({length:N}, async () => { const r = await fetch('http://x/v1/chat/completions', { method:'POST', headers:{'content-type':'application/json'}, body }); await r.text(); }));
const kinds = {}; for (const e of ev) kinds[e.from+'->'+e.to]=(kinds[e.from+'->'+e.to]||0)+1;
console.log('upstream', u.stats().total, 'breaker-change events', ev.length, kinds);
console.log('openUntil-at of first 3 / last 3:', ev.slice(0,3).map(e=>e.openUntil-e.at), ev.slice(-3).map(e=>e.openUntil-e.at));
console.log('distinct openUntil', new Set(ev.map(e=>e.openUntil)).size, 'health', JSON.stringify(fetch.router.health?.()).slice(0,400));
await u.close(); process.exit(0);
