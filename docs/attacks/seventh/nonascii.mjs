import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { startChaosUpstream } from '@detour/testkit';
const up = await startChaosUpstream({ name: 'x', port: 4721 });
fs.writeFileSync('nonascii.json', JSON.stringify({ endpoints: [{ name: 'primary', baseUrl: up.baseUrl, apiKey: 'sk-…SECRETX', priority: 0 }, { name: 'backup', baseUrl: up.baseUrl, apiKey: 'sk-ok', priority: 1 }], gatewayKeys: ['gk'] }));
const gw = spawn('node_modules/.bin/detour-gateway', ['--config', 'nonascii.json', '--port', '8799'], { stdio: ['ignore', 'pipe', 'pipe'] });
let out = ''; gw.stdout.on('data', d => out += d); gw.stderr.on('data', d => out += d);
await new Promise(r => { const t = setInterval(() => { if (out.includes('listening')) { clearInterval(t); r(); } }, 50); });
for (let i = 0; i < 3; i++) { const r = await fetch('http://127.0.0.1:8799/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer gk', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) }); await r.text(); console.log(r.status, r.headers.get('x-detour-endpoint'), r.headers.get('x-detour-attempts')); }
const h = await (await fetch('http://127.0.0.1:8799/healthz')).json(); console.log(JSON.stringify(h.endpoints.map(e => [e.name, e.available, e.breaker, e.reason])));
gw.kill('SIGTERM'); await new Promise(r => gw.on('exit', r)); console.log('out:', out, /SECRETX/.test(out) ? 'ECHOES KEY' : ''); await up.close();
