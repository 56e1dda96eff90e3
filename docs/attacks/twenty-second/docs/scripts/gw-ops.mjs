// apps/worker/README.md operations: headers forwarded (224-230), 413 / 503 gateway_overloaded (269-270), 408 (99-102),
// healthz 503 when none available (148), shutdownDelayMs draining (155-158), SIGHUP exit 129 (133, 163), second SIGINT (160-161)
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import { startChaosUpstream } from '@detour/testkit';
const up = await startChaosUpstream({ name: 'up' });
const start = async (extra, label) => {
  const cfg = { endpoints: [{ name: 'up', baseUrl: up.baseUrl, apiKey: 'sk-up-1234567890ab', headers: { 'x-extra': 'configured' } }], gatewayKeys: ['gk-ops-1'], ...extra };
  fs.writeFileSync('/tmp/gwops.json', JSON.stringify(cfg));
  const gw = spawn('node', ['node_modules/@detour/gateway/bin/detour-gateway.js', '--config', '/tmp/gwops.json', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const t = setTimeout(() => gw.kill('SIGKILL'), 40000);
  gw.out = ''; gw.stdout.on('data', (d) => { gw.out += d; }); gw.stderr.on('data', (d) => { gw.out += d; });
  gw.exited = new Promise((r) => gw.on('exit', (c, s) => { clearTimeout(t); r(c ?? s); }));
  while (!/listening on (http:\/\/\S+)/.test(gw.out)) { await new Promise((r) => setTimeout(r, 50)); if (gw.exitCode !== null) { console.log(label, 'start failed', gw.out); return gw; } }
  gw.base = gw.out.match(/listening on (http:\/\/\S+)/)[1]; return gw;
};
const H = { authorization: 'Bearer gk-ops-1', 'content-type': 'text/plain' };
let gw = await start({}, 'default');
await fetch(gw.base + '/v1/chat/completions', { method: 'POST', headers: { ...H, 'user-agent': 'ua-test', 'x-request-id': 'rid', 'openai-organization': 'org-caller', 'openai-project': 'proj-caller', 'x-custom-caller': 'zzz', 'anthropic-beta': 'b1', 'openai-beta': 'ob', cookie: 'c=1' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] }) });
const rec = up.stats().requests.at(-1);
console.log('upstream got headers:', Object.keys(rec.headers).sort().join(', '), '| content-type', rec.headers['content-type'], '| authorization', rec.headers.authorization);
console.log('healthz status while fine:', (await fetch(gw.base + '/healthz')).status);
up.setScript([{ fault: { type: 'insufficient-quota' } }]);
await fetch(gw.base + '/v1/chat/completions', { method: 'POST', headers: H, body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) });
const hz = await fetch(gw.base + '/healthz'); console.log('healthz after quota disable (README 148: 503):', hz.status, (await hz.text()).slice(0, 120));
up.setScript([]);
gw.kill('SIGHUP'); console.log('SIGHUP exit code (README 133/163: 129):', await gw.exited);
// 413 and 503 gateway_overloaded
gw = await start({ maxBodyBytes: 1000, maxBodyBytesInFlight: 1500, requestTimeoutMs: 10000, headersTimeoutMs: 10000 }, 'limits');
const big = await fetch(gw.base + '/v1/chat/completions', { method: 'POST', headers: H, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(5000) }] }) });
console.log('body > maxBodyBytes:', big.status, big.headers.get('x-detour-error'));
up.setScript([{ fault: { type: 'slow-first-byte', delayMs: 1500 } }]);
const body900 = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'y'.repeat(850) }] });
const [a, b] = await Promise.all([0, 100].map((d) => new Promise((r) => setTimeout(r, d)).then(() => fetch(gw.base + '/v1/chat/completions', { method: 'POST', headers: H, body: body900 }))));
console.log('two 900-byte bodies vs maxBodyBytesInFlight 1500:', a.status, b.status, b.headers.get('x-detour-error'), b.headers.get('retry-after'));
up.setScript([]);
// 408: headers then a body that never completes (requestTimeoutMs 10 s: Node checks every 1 s)
const t0 = Date.now();
const res408 = await new Promise((resolve) => { const s = net.connect(new URL(gw.base).port, '127.0.0.1', () => { s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk-ops-1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"model":`); });
  let d = ''; s.on('data', (c) => { d += c; }); s.on('close', () => resolve(d.split('\r\n')[0])); setTimeout(() => { s.destroy(); resolve('no answer in 15 s'); }, 15000); });
console.log('incomplete body (README 99-100: 408):', res408, 'after', Date.now() - t0, 'ms');
gw.kill('SIGTERM'); console.log('SIGTERM exit:', await gw.exited);
// shutdownDelayMs
gw = await start({ shutdownDelayMs: 2000, shutdownGraceMs: 1000 }, 'delay');
gw.kill('SIGTERM'); await new Promise((r) => setTimeout(r, 300));
const d1 = await fetch(gw.base + '/healthz').catch((e) => e);
console.log('during shutdownDelayMs: healthz', d1.status, d1.headers?.get('connection'), d1.status ? (await d1.text()).slice(0, 40) : d1.message);
const d2 = await fetch(gw.base + '/v1/chat/completions', { method: 'POST', headers: H, body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) }).catch((e) => e);
console.log('during shutdownDelayMs: request', d2.status, d2.headers?.get('connection'));
console.log('exit after delay:', await gw.exited);
// second SIGINT during drain
up.setScript([{ fault: { type: 'hang' } }]);
gw = await start({ shutdownGraceMs: 20000 }, 'sigint');
fetch(gw.base + '/v1/chat/completions', { method: 'POST', headers: H, body: JSON.stringify({ model: 'gpt-4.1', messages: [] }) }).catch(() => {});
await new Promise((r) => setTimeout(r, 300));
const ts = Date.now(); gw.kill('SIGINT'); await new Promise((r) => setTimeout(r, 300)); gw.kill('SIGINT');
console.log('double SIGINT exit:', await gw.exited, 'after', Date.now() - ts, 'ms');
console.log(gw.out.split('\n').slice(-4).join(' / '));
await up.close();
