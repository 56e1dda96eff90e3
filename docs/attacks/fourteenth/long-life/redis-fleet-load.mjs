// M gateways (one process) sharing one Redis store; callers send distinct 250-character model names, every answer
// with rate-limit headers, so the fleet's quota ledger stays at its 2,048-pair cap. Reports Redis's per-script cost
// (INFO commandstats), the busiest seconds, and the "unavailable" lines members log (command timeout 200 ms).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { upstream, gateway, GK, sleep } from './lib.mjs';
const M = Number(process.env.M ?? 4), SECS = Number(process.env.SECS ?? 60), C = 32;
const port = 20000 + Math.floor(Math.random() * 20000);
const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', mkdtempSync('/tmp/attack14b-redis-')], { stdio: 'ignore' });
await sleep(500);
const cli = (...args) => execFileSync('redis-cli', ['-p', String(port), ...args]).toString().trim();
const lines = [];
const origWarn = console.warn; console.warn = (m) => { lines.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`); };
let n = 0;
const handler = (req, body, res) => {
  const i = n++;
  let model = 'x'; try { model = JSON.parse(body).model; } catch {}
  res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '100000', 'x-ratelimit-remaining-requests': String(90000 - (i % 1000)), 'x-ratelimit-reset-requests': '20s', 'x-ratelimit-limit-tokens': '10000000', 'x-ratelimit-remaining-tokens': '9000000', 'x-ratelimit-reset-tokens': '6m0s' });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
};
const a = await upstream(handler), b = await upstream(handler);
let t0 = Date.now();
const gws = [];
for (let g = 0; g < M; g++) gws.push(await gateway([a, b], { root: { store: { redis: `redis://127.0.0.1:${port}`, prefix: 'fleet:' } } }));
cli('CONFIG', 'RESETSTAT');
t0 = Date.now(); let next = 0; const statuses = {};
await Promise.all(Array.from({ length: C }, async (_, w) => { while ((Date.now() - t0) / 1000 < SECS) { const i = next++; const gw = gws[i % M]; const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: `m-${i}-`.padEnd(250, 'z'), messages: [{ role: 'user', content: 'hi' }] }) }); statuses[r.status] = (statuses[r.status] ?? 0) + 1; await r.arrayBuffer(); } }));
const stats = cli('INFO', 'commandstats').split('\n').filter((l) => /evalsha|eval:|hgetall|time/.test(l));
const cpu = cli('INFO', 'cpu').split('\n').filter((l) => /used_cpu_(sys|user):/.test(l)).join(' ');
console.log(`${M} members, ${next} requests in ${SECS} s`, JSON.stringify(statuses), '\nredis', cpu.replace(/\r/g, ''), '\n' + stats.join('\n').replace(/\r/g, ''), '\nquota HLEN', cli('HLEN', '{fleet}:quota'), 'pairs', cli('ZCARD', '{fleet}:quota-pairs'));
console.log('member log lines:', lines.length, '\n' + lines.slice(0, 10).join('\n'));
for (const gw of gws) await gw.close(0);
await a.close(); await b.close(); server.kill('SIGTERM');
process.exit(0);
