// Caller-chosen model names are bounded in COUNT in Redis (256 cooldowns/endpoint, 2048 ledger pairs) but not in LENGTH.
import fs from 'node:fs';
// MODE=cooldown: upstream 429s every unknown model (per-model cooldown, as a provider does for a model-scoped limit).
// MODE=ledger: upstream 404s unknown models (model_not_found), as OpenAI does.
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer, GK } from './lib.mjs';
watchdog(170000);
const MODE = process.env.MODE ?? 'cooldown';
const LEN = Number(process.env.LEN ?? 65536), N = Number(process.env.N ?? 300);
const redis = await startRedis();
const up = await startUpstream({ name: 'up', behaviour: (req, json, res) => {
  if (json.model === 'gpt-4o-mini') return false;
  if (MODE === 'cooldown') { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '120' }); res.end(JSON.stringify({ error: { message: `Rate limit reached for model`, code: 'rate_limit_exceeded' } })); }
  else { res.writeHead(404, { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9990', 'x-ratelimit-reset-requests': '6ms' }); res.end(JSON.stringify({ error: { message: 'The model does not exist', code: 'model_not_found' } })); }
  return true;
} });
const cfg = gwConfig([{ name: 'up', baseUrl: up.url }], { store: { redis: redis.url } });
const g = await startGateway({ config: cfg, tag: 'ln' });
const g2 = await startGateway({ config: cfg, tag: 'ln2' });
await redisCli(redis.port, ['CONFIG', 'SET', 'slowlog-log-slower-than', '50000']);
const t0 = Date.now();
const statuses = {};
let i = 0;
await Promise.all([...Array(8)].map(async () => { while (i < N) { const k = i++; const model = `m${k}-` + 'x'.repeat(LEN); const r = await chat(g.url, model, { timeoutMs: 20000 }); statuses[r.status] = (statuses[r.status] ?? 0) + 1; } }));
console.log(`${MODE}: sent ${N} requests with distinct ${LEN}-char model names in ${Date.now() - t0} ms; statuses`, statuses);
await sleep(2000);
const mem = (await redisCli(redis.port, ['INFO', 'memory'])).match(/used_memory_human:(\S+)/)[1];
const key = MODE === 'cooldown' ? '{detour}:endpoint:up' : '{detour}:quota';
console.log('redis used_memory', mem, '| HLEN', key, (await redisCli(redis.port, ['HLEN', key])).trim(), '| MEMORY USAGE', (await redisCli(redis.port, ['MEMORY', 'USAGE', key])).trim(), 'bytes');
// normal traffic through both gateways meanwhile
const lat = [];
for (let j = 0; j < 40; j++) { const r = await chat(j % 2 ? g.url : g2.url); lat.push(r.ms + (r.status === 200 ? '' : '!' + r.status)); await sleep(100); }
console.log('normal-model latencies (ms) over 4 s:', lat.join(' '));
const slow = (await redisCli(redis.port, ['SLOWLOG', 'GET', '200'])).split('\n');
const durations = []; for (let j = 0; j < slow.length; j++) if (/^\d+$/.test(slow[j]) && /^\d{10}$/.test(slow[j - 1] ?? '')) durations.push(Number(slow[j]));
console.log('redis SLOWLOG entries >50ms:', durations.length, 'max', Math.max(0, ...durations) / 1000, 'ms');
for (const [n, gw] of [['g', g], ['g2', g2]]) { const l = gw.logs.filter((x) => /unavailable/.test(x)); console.log(`${n} outage log lines:`, l.length, (l[0] ?? '').trim().slice(0, 140)); }
console.log('gateway RSS (MB):', ...[g, g2].map((gw) => { try { return Math.round(Number(fs.readFileSync(`/proc/${gw.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024); } catch { return '?'; } }));
g.stop(); g2.stop(); await redis.stop(); closeServer(up);
process.exit(0);
