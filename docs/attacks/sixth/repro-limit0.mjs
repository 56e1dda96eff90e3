// Repro: ONE 200 answer carrying x-ratelimit-limit-requests: 0 / remaining: 0 / reset: 1s, then an upstream that sends no
// rate-limit headers at all. The only endpoint is refused ("never", no Retry-After) for as long as we watch, while
// /healthz says 200 ok / available. Usage: node repro-limit0.mjs [observeSec=40] [provider]
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const obs = Number(process.argv[2] || 40), provider = process.argv[3];
writeFileSync('/tmp/attack6a/repro-limit0.json', JSON.stringify({ endpoints: [{ name: 'only', ...(provider ? { provider } : {}), baseUrl: 'http://127.0.0.1:5601/v1', apiKey: 'sk-x' }], gatewayKeys: ['gk-a'] }));
const up = spawn('node', ['/tmp/attack6a/upstream.mjs', '5601'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LIFE_MS: String((obs + 20) * 1000) } });
await new Promise((r) => up.stdout.once('data', r));
const gw = spawn('node', ['/work/main/apps/worker/dist/cli.js', '--config', '/tmp/attack6a/repro-limit0.json', '--port', '5600'], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((r) => gw.stdout.once('data', r));
const t = setTimeout(() => { gw.kill('SIGKILL'); up.kill('SIGKILL'); process.exit(2); }, (obs + 15) * 1000);
await fetch('http://127.0.0.1:5601/__mode', { method: 'POST', body: JSON.stringify({ seq: [{ status: 200, headers: { 'x-ratelimit-limit-requests': '0', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' } }] }) });
const send = async () => { const r = await fetch('http://127.0.0.1:5600/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer gk-a', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) }); const b = await r.text(); return [r.status, r.headers.get('retry-after'), b.slice(0, 140)]; };
const t0 = Date.now(); const seen = {};
while (Date.now() - t0 < obs * 1000) { const [s, ra, b] = await send(); const key = `${s} retry-after=${ra}`; seen[key] = (seen[key] || 0) + 1; if (s !== 200) var last = b; await new Promise((r) => setTimeout(r, 1000)); }
const other = await (await fetch('http://127.0.0.1:5600/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer gk-a', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) })).status; console.log('a different model on the same endpoint afterwards:', other);
const hz = await fetch('http://127.0.0.1:5600/healthz'); const hb = await hz.json();
console.log('after', obs, 's:', seen, '\nlast refusal:', last, '\nupstream requests:', await (await fetch('http://127.0.0.1:5601/__count')).text(), '\n/healthz', hz.status, hb.status, 'available', hb.endpoints[0].available, 'quota', JSON.stringify(hb.endpoints[0].quotaRemaining), 'reset', JSON.stringify(hb.endpoints[0].quotaResetSeconds));
clearTimeout(t); gw.kill('SIGKILL'); up.kill('SIGKILL'); process.exit(0);
