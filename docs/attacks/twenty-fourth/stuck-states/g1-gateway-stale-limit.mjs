// G1 (real gateway, real time, ~100 s): the upstream answers ONE 429 carrying x-ratelimit-limit-requests: 60,
// remaining 0, reset 60s; every later answer is a 200 WITHOUT rate-limit headers (it serves everything). Offered 3 rps.
// Shows the gateway refusing ~2/3 of requests long after, and /admin/state's view.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
const hard = setTimeout(() => { console.log('HARD TIMEOUT'); cleanup(); process.exit(2); }, 150_000);
let upstreamCalls = 0; let first = true;
const upstream = http.createServer((req, res) => {
  let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => {
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
const dir = mkdtempSync('/tmp/attack24b/attack/g1-');
const config = join(dir, 'detour.json');
writeFileSync(config, JSON.stringify({ endpoints: [{ name: 'a', baseUrl: `http://127.0.0.1:${upstream.address().port}/v1`, apiKey: 'sk-a' }], gatewayKeys: ['gk-test'], admin: { key: 'ak-test' } }));
const gw = spawn('nice', ['-n', '19', 'node', '/tmp/attack24b/apps/worker/dist/cli.js', '--config', config, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const cleanup = () => { try { gw.kill('SIGTERM'); } catch {} upstream.close(); };
let out = '';
const port = await new Promise((resolve, reject) => {
  const onData = (d) => { out += d; const m = out.match(/127\.0\.0\.1:(\d+)/); if (m) resolve(Number(m[1])); };
  gw.stdout.on('data', onData); gw.stderr.on('data', onData);
  setTimeout(() => reject(new Error('no port: ' + out)), 20_000);
});
const base = `http://127.0.0.1:${port}`;
const results = [];
const t0 = Date.now();
const one = async () => {
  const at = (Date.now() - t0) / 1000;
  try {
    const r = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk-test', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }) });
    await r.text();
    results.push({ at, status: r.status, err: r.headers.get('x-detour-error'), ra: r.headers.get('retry-after') });
  } catch (e) { results.push({ at, status: 'ERR ' + e.message }); }
};
const pending = [];
for (let i = 0; i < 90 * 3; i += 1) { pending.push(one()); await new Promise((r) => setTimeout(r, 333)); }
await Promise.all(pending);
const state = await (await fetch(`${base}/admin/state`, { headers: { authorization: 'Bearer ak-test' } })).json();
for (let s = 0; s < 90; s += 15) {
  const w = results.filter((r) => r.at >= s && r.at < s + 15);
  const by = {}; for (const r of w) { const k = `${r.status}${r.err ? ' ' + r.err : ''}`; by[k] = (by[k] ?? 0) + 1; }
  console.log(`t ${s}-${s + 15}s: ${JSON.stringify(by)}`);
}
console.log('sample refusal:', JSON.stringify(results.find((r) => r.status !== 200 && r.at > 30)));
console.log('upstream calls:', upstreamCalls);
console.log('/admin/state endpoint a:', JSON.stringify(state.endpoints?.[0] ?? state).slice(0, 900));
cleanup(); clearTimeout(hard); process.exit(0);
