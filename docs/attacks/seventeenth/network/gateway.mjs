// Gateway CLI: TLS error as the caller sees it, HTTPS_PROXY honoured?, router.agent accepted?
import { spawn } from 'node:child_process'; import http from 'node:http'; import net from 'node:net'; import fs from 'node:fs';
import { startHttps, startHttp, hardTimeout } from './lib.mjs';
hardTimeout(60000);
const good = await startHttps('good', 'behind-proxy');
const plain = await startHttp('plain');
let connects = 0;
const proxy = http.createServer((q, s) => { s.writeHead(405); s.end(); });
proxy.on('connect', (req, sock, head) => { connects++; const t = net.connect(good.port, '127.0.0.1', () => { sock.write('HTTP/1.1 200 Connection Established\r\n\r\n'); t.write(head); t.pipe(sock); sock.pipe(t); }); t.on('error', () => sock.destroy()); sock.on('error', () => t.destroy()); });
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
const cfg = { allowUnauthenticated: true, router: { maxAttempts: 2 }, endpoints: [
  { name: 'openai-prod', baseUrl: `https://127.0.0.1:${plain.port}/v1`, apiKey: 'sk-SECRET-gw-17a', priority: 0 },
  { name: 'corp-only', baseUrl: 'https://localhost:1/v1', apiKey: 'sk-SECRET-gw-17a-2', priority: 1 } ] };
fs.writeFileSync('/tmp/attack17a/scripts/gateway.json', JSON.stringify(cfg));
const env = { ...process.env, HTTPS_PROXY: `http://127.0.0.1:${proxy.address().port}`, HTTP_PROXY: `http://127.0.0.1:${proxy.address().port}`, NODE_EXTRA_CA_CERTS: '/tmp/attack17a/certs/ca.crt' };
const gw = spawn('nice', ['-n', '19', 'node', '/tmp/attack17a/repo/apps/worker/dist/cli.js', '--config', '/tmp/attack17a/scripts/gateway.json', '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let out = ''; gw.stdout.on('data', (d) => (out += d)); gw.stderr.on('data', (d) => (out += d));
const port = await new Promise((res, rej) => { const t = setInterval(() => { const m = /127\.0\.0\.1:(\d+)/.exec(out); if (m) { clearInterval(t); res(+m[1]); } }, 100); setTimeout(() => rej(new Error('no port: ' + out)), 15000); });
console.log('gateway started:', out.trim().split('\n').slice(0, 3).join(' | '));
const r = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
const text = await r.text();
console.log('status', r.status, 'x-detour-error', r.headers.get('x-detour-error'));
console.log('body:', text);
console.log('key leaked in body?', text.includes('sk-SECRET'), '| proxy CONNECTs:', connects);
gw.kill('SIGTERM'); await new Promise((r) => setTimeout(r, 500)); process.exit(0);
