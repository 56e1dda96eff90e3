// What a gateway writes to a shared Redis: any upstream key spelling, caller strings? (spawns its own redis-server)
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import { upstream, gateway, chat, UPKEY } from './lib.mjs';
const port = await new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 400));
try {
  let n = 0;
  const u = await upstream((req, body, res) => {
    n++;
    const m = JSON.parse(body).model;
    const headers = { 'content-type': 'application/json', 'retry-after': '30', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-limit-requests': '100', 'x-ratelimit-reset-requests': '30s' };
    if (n % 3 === 0) { res.writeHead(401, { 'content-type': 'application/json' }); return res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${UPKEY}`, code: 'invalid_api_key' } })); }
    res.writeHead(429, headers); res.end(`{"error":{"message":"Rate limit for ${UPKEY.replace(/\//g, '\\/')} on ${m}","code":"rate_limit_exceeded"}}`);
  });
  const gw = await gateway([u], { root: { store: { redis: `redis://127.0.0.1:${port}`, prefix: 'atk:' } }, router: { maxAttempts: 1 } });
  for (const m of ['gpt-4.1-mini', '__proto__', 'constructor', 'a\ud800', 'a\udc00', UPKEY.slice(0, 10) + '-m', 'x'.repeat(256)]) { const r = await chat(gw, m); await r.arrayBuffer(); }
  await new Promise((r) => setTimeout(r, 1500));
  const keys = execFileSync('redis-cli', ['-p', String(port), '--scan']).toString().trim().split('\n');
  let dump = '';
  for (const k of keys) {
    const type = execFileSync('redis-cli', ['-p', String(port), 'type', k]).toString().trim();
    const v = execFileSync('redis-cli', ['-p', String(port), ...(type === 'hash' ? ['hgetall', k] : type === 'string' ? ['get', k] : type === 'zset' ? ['zrange', k, '0', '-1', 'withscores'] : ['type', k])]).toString();
    dump += `${k} (${type}): ${v}\n`;
  }
  console.log(dump.slice(0, 2500));
  const frag = UPKEY.slice(0, 14);
  console.log('redis keys', keys.length, 'contains key fragment', dump.includes(frag), 'contains full key', dump.includes(UPKEY), 'contains \\/ form', dump.includes(UPKEY.replace(/\//g, '\\/')));
  await gw.close(100); await u.close();
} finally { redis.kill(); }
