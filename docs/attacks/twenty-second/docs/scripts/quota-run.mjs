// docs/quota.md: configured limits, queue, events, router.admission(), health().quota, x-detour-priority via createFetch
import { createFetch } from '@detour/node';
import { startChaosUpstream } from '@detour/testkit';
const up = await startChaosUpstream({ name: 'solo' });
const f = createFetch({ endpoints: [{ name: 'solo', baseUrl: up.baseUrl, apiKey: 'sk-solo-abcdefgh', limits: { rpm: 30 } }] });
const names = new Set();
f.router.subscribe((e) => { if (String(e.type).startsWith('admission') || e.type === 'quota-estimate') { names.add(e.type); if (e.type !== 'quota-estimate') console.log('event', JSON.stringify(e)); } });
const call = (prio) => f('https://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', ...(prio ? { 'x-detour-priority': prio } : {}) }, body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }) });
const t0 = Date.now();
const results = await Promise.all(Array.from({ length: 34 }, (_, i) => call(i % 3 === 0 ? 'low' : i % 3 === 1 ? 'high' : undefined).then(async (r) => ({ s: r.status, ra: r.headers.get('retry-after'), code: r.headers.get('x-detour-error'), ms: Date.now() - t0 }))));
const summary = {}; for (const r of results) { const k = `${r.s} ${r.code ?? ''}`; summary[k] = (summary[k] ?? 0) + 1; }
console.log('statuses', JSON.stringify(summary), 'max ms', Math.max(...results.map((r) => r.ms)));
console.log('admission()', JSON.stringify(f.router.admission()));
const h = f.router.health(); console.log('health endpoint keys', Object.keys(h.endpoints?.[0] ?? h[0] ?? {}).join(','));
console.log('health quota', JSON.stringify((h.endpoints?.[0] ?? h[0]).quota), JSON.stringify((h.endpoints?.[0] ?? h[0]).quotaResetMs));
console.log('event types seen', [...names].join(','));
await f.router.close(); await up.close();
