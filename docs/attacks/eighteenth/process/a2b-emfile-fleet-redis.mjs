// A2 in a fleet: two gateways share breakers through Redis (`store.redis`, as the README's "Running a fleet" says).
// Gateway A runs under nofile=256 and meets a burst of streams; gateway B has plenty of descriptors and serves one
// request every 200 ms. A's local EMFILE is charged to the shared endpoints: does B refuse its callers?
import { spawn } from 'node:child_process';
import { startChaos, writeConfig, twoEndpointConfig, startGateway, chat, healthz, sleep, cleanup, waitLine } from './lib.mjs';
import http from 'node:http';
const redisPort = 16379 + Math.floor(Math.random() * 1000);
const redis = spawn('nice', ['-n', '19', 'redis-server', '--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
process.on('exit', () => { try { redis.kill('SIGKILL'); } catch {} });
await waitLine(redis, /Ready to accept connections/);
const stall = [{ when: { stream: true }, fault: { type: 'stall', afterTokens: 1, ms: 8000 } }];
const a = await startChaos('primary', stall); const b = await startChaos('backup', stall);
const config = writeConfig(twoEndpointConfig(a.url, b.url, { store: { redis: `redis://127.0.0.1:${redisPort}` } }));
const gA = await startGateway({ config, pre: ['prlimit', '--nofile=256:256'] });
const gB = await startGateway({ config });
for (const g of [gA, gB]) { g.child.stdout.on('data', () => {}); g.child.stderr.on('data', () => {}); }
console.log('gateway A (nofile 256)', gA.url, '; gateway B (no limit)', gB.url, '; redis', redisPort);
const uA = new URL(gA.url);
const stream = () => new Promise((resolve) => {
  const req = http.request({ host: uA.hostname, port: uA.port, path: '/v1/chat/completions', method: 'POST', agent: false,
    headers: { authorization: 'Bearer gk', 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', resolve); res.on('error', resolve); });
  req.on('error', resolve); req.setTimeout(30000, () => { req.destroy(); resolve(); });
  req.end(JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
});
const t0 = Date.now(); let running = true; const bOutcomes = {};
// B's own light traffic (JSON, not streams) and its health, as B's callers and balancer see them
const bTraffic = (async () => { let last = ''; while (running) {
  const r = await chat(gB.url, { timeoutMs: 3000 }); const k = `${r.status}${r.err ? ' ' + r.err : ''}`; bOutcomes[k] = (bOutcomes[k] ?? 0) + 1;
  const h = await healthz(gB.url); const hA = await healthz(gA.url, 1000); const st = (x) => x.status === 'ERR' ? x.body : JSON.parse(x.body).endpoints.map((e) => e.breaker).join('/'); const line = `B: chat ${k}; B /healthz ${h.status} ${st(h)}; A /healthz ${hA.status} ${st(hA)}`;
  if (line !== last) console.log(`t=${((Date.now() - t0) / 1000).toFixed(1)}s ${line}${r.status !== 200 ? ' — ' + r.text.slice(0, 160) : ''}`); last = line; await sleep(200); } })();
await sleep(600);
const pending = [];
for (let i = 0; i < 200; i += 10) { for (let k = 0; k < 10; k++) pending.push(stream()); await sleep(100); }
await Promise.all(pending); await sleep(1000); running = false; await bTraffic;
const mA = await (await fetch(`${gA.url}/metrics`)).text(); console.log('A metrics:', mA.split('\n').filter((l) => /^detour_(attempts_total|breaker_state)/.test(l)).join('; '));
console.log(`gateway B's callers (never short of descriptors):`, bOutcomes);
cleanup(); redis.kill('SIGKILL'); process.exit(0);
