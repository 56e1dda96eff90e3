// Gateway: a caller that leaves mid-stream. Does the access log carry the abandoned stream's cost like /metrics and /admin/costs?
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { upstream, d, watchdog, chatChunk, R } from './up.mjs';
watchdog(30000);
const up = await upstream(async (req, body, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (let i = 0; i < 100 && !res.destroyed; i++) { res.write(d(chatChunk(`w${i} `))); await new Promise((r) => setTimeout(r, 20)); }
  res.end();
});
const cfg = '/tmp/attack9a/gw-config-abandon.json';
writeFileSync(cfg, JSON.stringify({ endpoints: [{ name: 'a', baseUrl: `${up.url}/v1`, apiKey: 'k1' }], gatewayKeys: [{ key: 'gk-1', name: 'team-a' }], admin: { key: 'adm-1' }, accessLog: true }));
const gw = spawn(process.execPath, [`${R}/apps/worker/dist/cli.js`, '--config', cfg, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
let out = ''; gw.stdout.on('data', (c) => (out += c)); gw.stderr.on('data', (c) => (out += c));
const base = await new Promise((resolve, reject) => { const t = setInterval(() => { const m = out.match(/listening on (http:\/\/\S+)/); if (m) { clearInterval(t); resolve(m[1]); } }, 50); setTimeout(() => reject(new Error('no start: ' + out)), 10000); });
const ac = new AbortController();
const r = await fetch(`${base}/v1/chat/completions`, { method: 'POST', signal: ac.signal, headers: { authorization: 'Bearer gk-1', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'x'.repeat(4000) }] }) });
const reader = r.body.getReader();
for (let i = 0; i < 10; i++) await reader.read();
ac.abort();
await new Promise((x) => setTimeout(x, 800));
const logs = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
for (const l of logs) console.log('access-log', JSON.stringify(l));
const metrics = await (await fetch(`${base}/metrics`)).text();
for (const line of metrics.split('\n')) if (line.startsWith('detour_cost_usd_total') || line.startsWith('detour_requests_total')) console.log('metric', line);
const costs = await (await fetch(`${base}/admin/costs?window=1h`, { headers: { authorization: 'Bearer adm-1' } })).json();
console.log('admin/costs', JSON.stringify(costs.rows));
gw.kill('SIGTERM'); await new Promise((x) => gw.once('exit', x)); await up.close(); process.exit(0);
