// G4 (real gateway + own redis-server, ~25 s): one insufficient_quota answer disables the endpoint; the operator tops up
// (upstream healthy from then on) and restarts the gateway on the same Redis and config. Is the endpoint back?
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
let toppedUp = false;
const upstream = http.createServer((req, res) => {
  req.resume(); req.on('end', () => {
    if (!toppedUp) {
      res.writeHead(429, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }));
  });
});
await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
const dir = mkdtempSync('/tmp/attack24b/attack/g4-');
const config = join(dir, 'detour.json');
writeFileSync(config, JSON.stringify({ endpoints: [{ name: 'openai', baseUrl: `http://127.0.0.1:${upstream.address().port}/v1`, apiKey: 'sk-a' }], gatewayKeys: ['gk-test'], store: { redis: `redis://127.0.0.1:${redisPort}`, prefix: 'g4:' } }));
const start = async () => {
  const gw = spawn('nice', ['-n', '19', 'node', '/tmp/attack24b/apps/worker/dist/cli.js', '--config', config, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(gw);
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const onData = (d) => { out += d; const m = out.match(/127\.0\.0\.1:(\d+)/); if (m) resolve(Number(m[1])); };
    gw.stdout.on('data', onData); gw.stderr.on('data', onData);
    setTimeout(() => reject(new Error('no port: ' + out)), 20_000);
  });
  return { gw, base: `http://127.0.0.1:${port}` };
};
const ask = async (base) => {
  const r = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk-test', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
  await r.text();
  return `${r.status} ${r.headers.get('x-detour-error') ?? ''} retry-after=${r.headers.get('retry-after')}`;
};
let g = await start();
console.log('spent key:', await ask(g.base));
toppedUp = true;
console.log('after top-up, same process:', await ask(g.base));
g.gw.kill('SIGTERM'); await new Promise((r) => g.gw.once('exit', r));
g = await start();
await new Promise((r) => setTimeout(r, 1500));
console.log('after restart on same Redis:', await ask(g.base));
cleanup(); clearTimeout(hard); setTimeout(() => process.exit(0), 300);
