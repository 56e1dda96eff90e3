// Defect repro: x-detour-cost-usd omits the cost of a billed attempt that failed over (JSON answer cut mid-body).
// Runs createFetch, then the gateway (apps/worker/dist/cli.js) with --access-log, and compares header vs events/log/metrics.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createFetch } from '/work/main/packages/node/dist/index.js';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const a = await startChaosUpstream({ name: 'primary', completionTokens: 20, script: [{ fault: { type: 'cut-stream', afterChunks: 1 } }] });
const b = await startChaosUpstream({ name: 'backup', completionTokens: 20 });
const endpoints = [{ name: 'primary', baseUrl: a.baseUrl, apiKey: 'k', priority: 0 }, { name: 'backup', baseUrl: b.baseUrl, apiKey: 'k', priority: 1 }];
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say something reasonably long please, thanks' }] });
// 1. createFetch
const fetchD = createFetch({ endpoints });
let sum = 0; const recs = []; fetchD.router.subscribe(e => { if (e.type === 'cost-record') { sum += e.costUsd ?? 0; recs.push(`${e.endpoint} ${e.outcome} ${e.costUsd}`); } });
const r = await fetchD('http://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
await r.text();
console.log('createFetch: x-detour-cost-usd =', r.headers.get('x-detour-cost-usd'), '| sum of cost-record events =', sum.toFixed(8), recs);
// 2. gateway
a.setScript([{ fault: { type: 'cut-stream', afterChunks: 1 } }]);
writeFileSync('/tmp/attack5/cost_header.json', JSON.stringify({ endpoints, gatewayKeys: ['gk-test'], admin: { key: 'admin-test-key' }, accessLog: true }));
const gw = spawn('node', ['/work/main/apps/worker/dist/cli.js', '--config', '/tmp/attack5/cost_header.json', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = ''; const url = await new Promise((res, rej) => { const t = setTimeout(() => rej(new Error('gateway did not start')), 10000); gw.stdout.on('data', d => { out += d; const m = out.match(/http:\/\/127\.0\.0\.1:\d+/); if (m) { clearTimeout(t); res(m[0]); } }); });
const g = await fetch(url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer gk-test' }, body });
await g.text();
await new Promise(r => setTimeout(r, 500));
const metrics = await (await fetch(url + '/metrics', { headers: { authorization: 'Bearer admin-test-key' } })).text();
const costs = await (await fetch(url + '/admin/costs?window=1h', { headers: { authorization: 'Bearer admin-test-key' } })).json();
console.log('gateway: status', g.status, 'x-detour-attempts', g.headers.get('x-detour-attempts'), 'x-detour-cost-usd =', g.headers.get('x-detour-cost-usd'));
console.log('gateway access log line:', out.split('\n').find(l => l.includes('"route"')));
console.log('gateway /metrics:', metrics.split('\n').filter(l => l.startsWith('detour_cost_usd_total')).join(' | '));
console.log('gateway /admin/costs totalUsd', costs.totalUsd, 'wastedUsd', costs.wastedUsd);
gw.kill('SIGTERM'); await a.close(); await b.close(); process.exit(0);
