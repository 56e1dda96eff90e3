// G2 (real gateway + own redis-server, real time, ~130 s): as G1 (one 429 with limit 60 / reset 60s, then 200s with no
// rate-limit headers; offered 3 rps), with a Redis store. At 45 s the gateway is stopped (SIGTERM) and a fresh one
// started on the same Redis. Does the restart clear the stale belief, or does the fleet ledger re-teach it?
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
const children = [];
const cleanup = () => { for (const c of children) { try { c.kill('SIGTERM'); } catch {} } try { upstream.close(); } catch {} };
const hard = setTimeout(() => { console.log('HARD TIMEOUT'); cleanup(); process.exit(2); }, 200_000);
const freePort = () => new Promise((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const redisPort = await freePort();
const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
children.push(redis);
await new Promise((r) => setTimeout(r, 500));
let upstreamCalls = 0; let first = true;
const upstream = http.createServer((req, res) => {
  req.resume(); req.on('end', () => {
    upstreamCalls += 1;
    if (first && upstreamCalls >= 5) {
      first = false;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1', 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '60s' });
      return res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }));
  });
});
await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
const dir = mkdtempSync('/tmp/attack24b/attack/g2-');
const config = join(dir, 'detour.json');
writeFileSync(config, JSON.stringify({ endpoints: [{ name: 'a', baseUrl: `http://127.0.0.1:${upstream.address().port}/v1`, apiKey: 'sk-a' }], gatewayKeys: ['gk-test'], admin: { key: 'ak-test' }, store: { redis: `redis://127.0.0.1:${redisPort}`, prefix: 'g2:' } }));
const startGateway = async () => {
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
let current = await startGateway();
const results = [];
const t0 = Date.now();
const one = async (base) => {
  const at = (Date.now() - t0) / 1000;
  try {
    const r = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk-test', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }) });
    await r.text();
    results.push({ at, status: r.status, err: r.headers.get('x-detour-error') });
  } catch (e) { results.push({ at, status: 'ERR' }); }
};
const pending = [];
let restarted = false;
while ((Date.now() - t0) < 120_000) {
  if (!restarted && Date.now() - t0 >= 45_000) {
    restarted = true;
    await Promise.all(pending.splice(0));
    const old = current.gw; old.kill('SIGTERM'); await new Promise((r) => old.once('exit', r));
    const upstreamBefore = upstreamCalls;
    current = await startGateway();
    console.log(`restarted at ${((Date.now() - t0) / 1000).toFixed(1)} s (upstream calls so far ${upstreamBefore})`);
  }
  pending.push(one(current.base));
  await new Promise((r) => setTimeout(r, 333));
}
await Promise.all(pending);
for (let s = 0; s < 120; s += 15) {
  const w = results.filter((r) => r.at >= s && r.at < s + 15);
  const by = {}; for (const r of w) { const k = `${r.status}${r.err ? ' ' + r.err : ''}`; by[k] = (by[k] ?? 0) + 1; }
  console.log(`t ${s}-${s + 15}s: ${JSON.stringify(by)}`);
}
console.log('upstream calls:', upstreamCalls, '(exactly one 429 ever)');
cleanup(); clearTimeout(hard); setTimeout(() => process.exit(0), 500);
