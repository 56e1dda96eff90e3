// After one caller sent ~2,100 requests naming distinct 250-char models (all 404 upstream), does the fleet's quota ledger stay big, and what does it cost afterwards?
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer } from './lib.mjs';
watchdog(170000);
const FLOOD = process.env.FLOOD !== '0';
const redis = await startRedis();
const up = await startUpstream({ name: 'up', behaviour: (req, json, res) => {
  if (json.model === 'gpt-4o-mini') return false;
  res.writeHead(404, { 'content-type': 'application/json' }); res.end(JSON.stringify({ error: { message: 'The model does not exist', code: 'model_not_found' } })); return true;
} });
const cfg = gwConfig([{ name: 'up', baseUrl: up.url }], { store: { redis: redis.url } });
const gws = [];
for (let k = 0; k < 3; k++) gws.push(await startGateway({ config: cfg, tag: 'lp' + k }));
let i = 0; const N = 2100;
if (FLOOD) await Promise.all([...Array(8)].map(async () => { while (i < N) { const k = i++; await chat(gws[k % 3].url, `m${k}-` + 'y'.repeat(245)); } }));
console.log('flood', FLOOD ? 'sent' : 'skipped');
await sleep(3000);
await redisCli(redis.port, ['CONFIG', 'SET', 'slowlog-log-slower-than', '20000']);
await redisCli(redis.port, ['SLOWLOG', 'RESET']);
await redisCli(redis.port, ['CONFIG', 'RESETSTAT']);
const before = gws.map((g) => g.logs.filter((x) => /unavailable/.test(x)).length);
// 15 s of ordinary traffic, 3 gateways, ~60 rps total
const lat = []; const st = {};
const end = Date.now() + 15000;
await Promise.all([...Array(3)].map(async (_, w) => { while (Date.now() < end) { const r = await chat(gws[w].url); lat.push(r.ms); st[r.status] = (st[r.status] ?? 0) + 1; await sleep(50); } }));
lat.sort((a, b) => a - b);
const info = await redisCli(redis.port, ['INFO', 'commandstats']);
const ex = info.split('\n').filter((l) => /evalsha|eval:/.test(l));
const slow = (await redisCli(redis.port, ['SLOWLOG', 'LEN'])).trim();
console.log('ledger HLEN', (await redisCli(redis.port, ['HLEN', '{detour}:quota'])).trim(), 'MEMORY USAGE', (await redisCli(redis.port, ['MEMORY', 'USAGE', '{detour}:quota'])).trim(), 'TTL(s)', (await redisCli(redis.port, ['TTL', '{detour}:quota'])).trim());
console.log('ordinary traffic over 15 s after the flood:', JSON.stringify(st), `p50=${lat[lat.length >> 1]} p99=${lat[Math.floor(lat.length * 0.99)]} max=${lat.at(-1)} ms`);
console.log('redis script stats:', ex.map((l) => l.trim()).join(' ; '));
console.log('redis commands slower than 20 ms in those 15 s:', slow);
console.log('new outage log lines per gateway in those 15 s:', gws.map((g, k) => g.logs.filter((x) => /unavailable/.test(x)).length - before[k]));
const t0 = Date.now(); const out = await redisCli(redis.port, ['HGETALL', '{detour}:quota']); console.log('one HGETALL of the ledger from redis-cli:', Date.now() - t0, 'ms,', out.length, 'bytes');
for (const g of gws) g.stop();
await redis.stop(); closeServer(up);
process.exit(0);
