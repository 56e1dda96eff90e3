// G6 (two real gateways on one own redis-server, ~20 s): a caller of gateway 1 sends an unknown field named "per day"
// (upstream: 400 "Unrecognized request argument supplied: per day"). Does gateway 2 (another member) refuse too?
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
const children = [];
const cleanup = () => { for (const c of children) { try { c.kill('SIGTERM'); } catch {} } try { upstream.close(); } catch {} };
const hard = setTimeout(() => { console.log('HARD TIMEOUT'); cleanup(); process.exit(2); }, 90_000);
const freePort = () => new Promise((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const redisPort = await freePort();
children.push(spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
await new Promise((r) => setTimeout(r, 500));
const upstream = http.createServer((req, res) => {
  let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => {
    const unknown = Object.keys(JSON.parse(body)).filter((k) => !['model', 'messages', 'max_tokens', 'stream', 'stream_options'].includes(k));
    if (unknown.length) { res.writeHead(400, { 'content-type': 'application/json' }); return res.end(JSON.stringify({ error: { message: `Unrecognized request argument supplied: ${unknown[0]}`, type: 'invalid_request_error', param: null, code: null } })); }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }));
  });
});
await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
const dir = mkdtempSync('/tmp/attack24b/attack/g6-');
const config = join(dir, 'detour.json');
writeFileSync(config, JSON.stringify({ endpoints: [{ name: 'openai', baseUrl: `http://127.0.0.1:${upstream.address().port}/v1`, apiKey: 'sk-a' }], gatewayKeys: ['gk-test'], store: { redis: `redis://127.0.0.1:${redisPort}`, prefix: 'g6:' } }));
const start = async () => {
  const gw = spawn('nice', ['-n', '19', 'node', '/tmp/attack24b/apps/worker/dist/cli.js', '--config', config, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(gw);
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const onData = (d) => { out += d; const m = out.match(/127\.0\.0\.1:(\d+)/); if (m) resolve(Number(m[1])); };
    gw.stdout.on('data', onData); gw.stderr.on('data', onData);
    setTimeout(() => reject(new Error('no port: ' + out)), 20_000);
  });
  return `http://127.0.0.1:${port}`;
};
const ask = async (base, extra = {}) => {
  const r = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk-test', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], ...extra }) });
  await r.text();
  return `${r.status} ${r.headers.get('x-detour-error') ?? ''} retry-after=${r.headers.get('retry-after')}`;
};
const [g1, g2] = [await start(), await start()];
console.log('member 2 before:', await ask(g2));
console.log('member 1, field "per day":', await ask(g1, { 'per day': 1 }));
await new Promise((r) => setTimeout(r, 1500));
console.log('member 2 after 1.5 s:', await ask(g2));
cleanup(); clearTimeout(hard); setTimeout(() => process.exit(0), 300);
