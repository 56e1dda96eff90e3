// Gateway with a Redis store (redis-server started here on a temp port, stopped at the end): N requests with distinct
// model names, a quarter answered 429 retry-after 600 (model cooldowns), all with rate-limit headers (quota ledger
// pairs). Prints heap, Redis key count, used_memory, endpoint hash lengths and ledger size at checkpoints.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { upstream, gateway, GK, heapMB, sleep } from './lib.mjs';
const N = Number(process.env.N ?? 100000), C = Number(process.env.C ?? 32), MAXSEC = Number(process.env.MAXSEC ?? 200);
const port = 20000 + Math.floor(Math.random() * 20000);
const dir = mkdtempSync('/tmp/attack14b-redis-');
const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
await sleep(500);
const cli = (...args) => execFileSync('redis-cli', ['-p', String(port), ...args]).toString().trim();
let n = 0;
const handler = (req, body, res) => {
  const i = n++;
  let model = 'x'; try { model = JSON.parse(body).model; } catch {}
  const rl = { 'x-ratelimit-limit-requests': '100000', 'x-ratelimit-remaining-requests': String(90000 - (i % 1000)), 'x-ratelimit-reset-requests': '20s', 'x-ratelimit-limit-tokens': '10000000', 'x-ratelimit-remaining-tokens': '9000000', 'x-ratelimit-reset-tokens': '6m0s' };
  if (i % 4 === 0) { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '600', ...rl }); return res.end('{"error":{"message":"Rate limit","type":"requests","code":"rate_limit_exceeded"}}'); }
  res.writeHead(200, { 'content-type': 'application/json', ...rl });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
};
const a = await upstream(handler), b = await upstream(handler);
const gw = await gateway([a, b], { root: { store: { redis: `redis://127.0.0.1:${port}`, prefix: 'atk:' } } });
const snap = (label) => {
  const keys = cli('--scan', '--pattern', '*').split('\n').filter(Boolean);
  const hl = keys.filter((k) => k.includes('endpoint:')).map((k) => `${k.split(':').pop()}=${cli('HLEN', k)}`).join(',');
  const mem = /used_memory:(\d+)/.exec(cli('INFO', 'memory'))[1];
  console.log(label, 'heapMB', heapMB(), 'redisKeys', keys.length, 'usedMemMB', (mem / 1e6).toFixed(2), 'endpointHLEN', hl, 'quotaHLEN', cli('HLEN', '{atk}:quota'), 'quotaPairs', cli('ZCARD', '{atk}:quota-pairs'), 'status', JSON.stringify(statuses));
};
const statuses = {};
snap('start');
cli('CONFIG','SET','slowlog-log-slower-than','20000'); cli('CONFIG','SET','slowlog-max-len','10000');
const t0 = Date.now(); let next = 0;
for (let k = 1; k <= 5; k++) {
  const stop = Math.floor((N * k) / 5);
  await Promise.all(Array.from({ length: C }, async () => { while (next < stop && (Date.now() - t0) / 1000 < MAXSEC) { const i = next++; const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: `m-${i}-`.padEnd(250, 'z'), messages: [{ role: 'user', content: 'hi' }] }) }); statuses[r.status] = (statuses[r.status] ?? 0) + 1; await r.arrayBuffer(); } }));
  snap(`after ${next} (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
  if ((Date.now() - t0) / 1000 >= MAXSEC) break;
}
{ const raw = execFileSync('redis-cli', ['-p', String(port), '--json', 'SLOWLOG', 'GET', '10000']).toString(); let entries = []; try { entries = JSON.parse(raw); } catch {} const us = entries.map((e) => e[2]).sort((x, y) => y - x); const cmds = {}; for (const e of entries) { const c = String(e[3][0]) + ' ' + String(e[3][1] ?? '').slice(0, 12); cmds[c] = (cmds[c] ?? 0) + 1; } console.log('slowlog entries >20ms:', us.length, 'max us', us[0], 'top5', us.slice(0, 5), JSON.stringify(cmds)); }
await gw.close(100); await a.close(); await b.close();
server.kill('SIGTERM');
process.exit(0);
