// Same defect through the gateway (router.deadlineMs 1000, no attemptTimeoutMs): a hanging endpoint keeps its share.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const a = await startChaosUpstream({ name: 'hangs', script: [{ fault: { type: 'hang' } }] });
const b = await startChaosUpstream({ name: 'healthy' });
writeFileSync('/tmp/attack5/hang_gw.json', JSON.stringify({ endpoints: [{ name: 'hangs', baseUrl: a.baseUrl, apiKey: 'k' }, { name: 'healthy', baseUrl: b.baseUrl, apiKey: 'k' }], gatewayKeys: ['gk'], router: { deadlineMs: 1000, selection: process.env.SEL ?? 'weighted' } }));
const gw = spawn('node', ['/work/main/apps/worker/dist/cli.js', '--config', '/tmp/attack5/hang_gw.json', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let o = ''; const url = await new Promise(res => gw.stdout.on('data', d => { o += d; const m = o.match(/http:\/\/127\.0\.0\.1:\d+/); if (m) res(m[0]); }));
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
const res = {};
for (let i = 0; i < 30; i++) { const r = await fetch(url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer gk' }, body }); await r.text(); const k = `${r.status} ${r.headers.get('x-detour-endpoint') ?? r.headers.get('x-detour-error')}`; res[k] = (res[k] || 0) + 1; }
const hz = await (await fetch(url + '/healthz')).text();
console.log(JSON.stringify({ selection: process.env.SEL ?? 'weighted', results: res, sentToHanging: a.stats().total, healthz: hz.slice(0, 300) }));
gw.kill('SIGTERM'); await a.close(); await b.close(); process.exit(0);
