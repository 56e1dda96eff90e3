// Low: one burst of concurrent failures emits one 'breaker-change closed->open' per in-flight failure; the gateway
// dashboard timeline (newest 200 entries) fills with them. Shows router events (createFetch) and /admin/state timeline.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const u = await startChaosUpstream({ name: 'bad', script: [{ fault: { type: 'status', status: 503 } }] });
const b = await startChaosUpstream({ name: 'backup' });
writeFileSync('/tmp/attack5/breaker_timeline.json', JSON.stringify({ endpoints: [{ name: 'bad', baseUrl: u.baseUrl, apiKey: 'k' }, { name: 'backup', baseUrl: b.baseUrl, apiKey: 'k', priority: 1 }], gatewayKeys: ['gk'], admin: { key: 'admin-key-x' } }));
const gw = spawn('node', ['/work/main/apps/worker/dist/cli.js', '--config', '/tmp/attack5/breaker_timeline.json', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let o = ''; const url = await new Promise(res => gw.stdout.on('data', d => { o += d; const m = o.match(/http:\/\/127\.0\.0\.1:\d+/); if (m) res(m[0]); }));
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
await Promise.all(Array.from({ length: 200 }, async () => { const r = await fetch(url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer gk' }, body }); await r.text(); }));
await new Promise(r => setTimeout(r, 300));
const state = await (await fetch(url + '/admin/state', { headers: { authorization: 'Bearer admin-key-x' } })).json();
const tl = state.timeline ?? state.events ?? [];
const kinds = {}; for (const e of tl) { const k = JSON.stringify(e).match(/"(type|kind)":"([^"]+)"/)?.[2] + ' ' + (e.text ?? e.message ?? e.title ?? '').slice(0, 50); kinds[k] = (kinds[k] || 0) + 1; }
console.log(JSON.stringify({ stateKeys: Object.keys(state), timelineEntries: tl.length, upstreamBadRequests: u.stats().total, grouped: kinds, sample: tl.slice(0, 2) }, null, 1).slice(0, 2500));
gw.kill('SIGTERM'); await u.close(); await b.close(); process.exit(0);
