// Defect repro: sporadic 503/529 answers (a few percent, no Retry-After) on every endpoint make Detour refuse most
// requests with its own 503 no_endpoint_available: each such answer cools its endpoint for cooldown.overloadedMs (2 s).
// Open-loop load RPS for SECS over 3 endpoints; compares what callers got with what the upstreams answered.
import { createFetch } from '/work/main/packages/node/dist/index.js';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const RPS = +(process.env.RPS ?? 50), SECS = +(process.env.SECS ?? 8), P = +(process.env.P ?? 0.05), S = +(process.env.S ?? 529);
const ups = await Promise.all([0, 1, 2].map(i => startChaosUpstream({ name: 'u' + i, seed: i + 7, script: [{ when: { probability: P }, fault: { type: 'status', status: S } }] })));
const fetch = createFetch({ endpoints: ups.map(u => ({ name: u.name, baseUrl: u.baseUrl, apiKey: 'k' })) });
let cooldowns = 0, breakerChanges = 0; fetch.router.subscribe(e => { if (e.type === 'cooldown-start') cooldowns++; if (e.type === 'breaker-change') breakerChanges++; });
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
const st = {}; const ps = []; const t0 = Date.now(); let sent = 0;
while (Date.now() - t0 < SECS * 1000) {
  const due = Math.floor((Date.now() - t0) / 1000 * RPS);
  while (sent < due) { sent++; ps.push(fetch('http://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async r => { await r.text(); const k = `${r.status} ${r.headers.get('x-detour-error') ?? ''}`.trim(); st[k] = (st[k] || 0) + 1; })); }
  await new Promise(r => setTimeout(r, 5));
}
await Promise.all(ps);
const out = {}; for (const u of ups) for (const [k, v] of Object.entries(u.stats().byOutcome)) out[k] = (out[k] || 0) + v;
const upErr = out['status-' + S] ?? 0, upTotal = Object.values(out).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ upstreamFailShare: P, status: S, rps: RPS, callerRequests: sent, callerStatuses: st, callerSuccessShare: +((st['200'] ?? 0) / sent).toFixed(3),
  upstreamAnswers: out, upstreamErrorShare: +(upErr / upTotal).toFixed(3), cooldownStartEvents: cooldowns, breakerChangeEvents: breakerChanges }));
await Promise.all(ups.map(u => u.close())); process.exit(0);
