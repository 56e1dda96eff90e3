// Retry storm through the gateway: G gateways (sharing redis when G>1), 3 upstreams all failing, N concurrent callers.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const sleep = ms => new Promise(r => setTimeout(r, ms));
const G = +(process.env.G ?? 1); const N = +(process.env.N ?? 200); const F = process.env.F ?? '503';
const faults = { '503': { type: 'status', status: 503 }, '529': { type: 'status', status: 529 }, '429': { type: 'rate-limit', dialect: 'openai', retryAfterMs: 3000 }, '429a': { type: 'rate-limit', dialect: 'anthropic', retryAfterMs: 3000 }, 'ietf': { type: 'rate-limit', dialect: 'ietf', retryAfterMs: 3000 }, '500': { type: 'status', status: 500 } };
let redis, port;
if (G > 1) { port = 20000 + Math.floor(Math.random() * 20000); redis = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }); await sleep(300); }
const ups = await Promise.all([0, 1, 2].map(i => startChaosUpstream({ name: 'u' + i, script: [{ fault: faults[F] }] })));
const cfg = { endpoints: ups.map(u => ({ name: u.name, baseUrl: u.baseUrl, apiKey: 'k' })), gatewayKeys: ['gk'], router: { deadlineMs: 15000 }, ...(G > 1 ? { store: { redis: `redis://127.0.0.1:${port}` } } : {}) };
const cfgPath = `/tmp/attack5/gw_storm_${process.pid}.json`; writeFileSync(cfgPath, JSON.stringify(cfg));
const gws = []; const urls = [];
for (let i = 0; i < G; i++) {
  const gw = spawn('node', ['/work/main/apps/worker/dist/cli.js', '--config', cfgPath, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] }); gws.push(gw);
  let out = ''; urls.push(await new Promise((res, rej) => { const t = setTimeout(() => rej(new Error('no start')), 10000); gw.stdout.on('data', d => { out += d; const m = out.match(/http:\/\/127\.0\.0\.1:\d+/); if (m) { clearTimeout(t); res(m[0]); } }); }));
}
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
const st = {}; const dur = []; const t0 = Date.now();
await Promise.all(Array.from({ length: N }, async (_, i) => { const s = Date.now(); let k;
  try { const ac = AbortSignal.timeout(30000); const r = await fetch(urls[i % G] + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer gk' }, body, signal: ac }); await r.text(); k = `${r.status} ${r.headers.get("x-detour-error")} ra=${r.headers.get("retry-after")} attempts=${r.headers.get("x-detour-attempts")} ${Date.now() - s > 2500 ? "slow(>2.5s)" : "fast"}`; } catch (e) { k = 'client error ' + e.name; }
  st[k] = (st[k] || 0) + 1; dur.push(Date.now() - s); }));
dur.sort((a, b) => a - b);
const up = ups.reduce((a, u) => a + u.stats().total, 0);
console.log(JSON.stringify({ F, G, N, upstream: up, perCaller: +(up / N).toFixed(2), p50: dur[N >> 1], max: dur[N - 1], statuses: st }));
for (const g of gws) g.kill('SIGTERM'); redis?.kill('SIGTERM'); await Promise.all(ups.map(u => u.close())); process.exit(0);
