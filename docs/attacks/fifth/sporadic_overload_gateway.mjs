// Same as sporadic_overload.mjs, through the gateway (default router settings).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const RPS = +(process.env.RPS ?? 100), SECS = +(process.env.SECS ?? 8), P = +(process.env.P ?? 0.01), S = +(process.env.S ?? 529);
const ups = await Promise.all([0, 1, 2].map(i => startChaosUpstream({ name: 'u' + i, seed: i + 7, script: [{ when: { probability: P }, fault: { type: 'status', status: S } }] })));
writeFileSync('/tmp/attack5/sporadic_gw.json', JSON.stringify({ endpoints: ups.map(u => ({ name: u.name, baseUrl: u.baseUrl, apiKey: 'k' })), gatewayKeys: ['gk'] }));
const gw = spawn('node', ['/work/main/apps/worker/dist/cli.js', '--config', '/tmp/attack5/sporadic_gw.json', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let o = ''; const url = await new Promise(res => gw.stdout.on('data', d => { o += d; const m = o.match(/http:\/\/127\.0\.0\.1:\d+/); if (m) res(m[0]); }));
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
const st = {}; const ps = []; const t0 = Date.now(); let sent = 0;
while (Date.now() - t0 < SECS * 1000) {
  const due = Math.floor((Date.now() - t0) / 1000 * RPS);
  while (sent < due) { sent++; ps.push(fetch(url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer gk' }, body }).then(async r => { await r.text(); const k = `${r.status} ${r.headers.get('x-detour-error') ?? ''}`.trim(); st[k] = (st[k] || 0) + 1; }, e => { st['client error'] = (st['client error'] || 0) + 1; })); }
  await new Promise(r => setTimeout(r, 5));
}
await Promise.all(ps);
const out = {}; for (const u of ups) for (const [k, v] of Object.entries(u.stats().byOutcome)) out[k] = (out[k] || 0) + v;
console.log(JSON.stringify({ via: 'gateway', upstreamFailShare: P, status: S, rps: RPS, callerRequests: sent, callerStatuses: st, callerSuccessShare: +((st['200'] ?? 0) / sent).toFixed(3), upstreamAnswers: out }));
gw.kill('SIGTERM'); await Promise.all(ups.map(u => u.close())); process.exit(0);
