// Gateway on store.redis through a TCP proxy; faults injected mid-run under steady load. Upstream 429s 10% of requests so cooldown writes and retries hit Redis.
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer, startProxy } from './lib.mjs';
watchdog(150000);
const redis = await startRedis();
const proxy = await startProxy(redis.port);
let n = 0;
const flaky = (name) => startUpstream({ name, behaviour: (req, json, res) => {
  if (++n % 2000 === 0) { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }); res.end('{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}'); return true; }
  if (false) { res.writeHead(503, { 'content-type': 'application/json' }); res.end('{"error":{"message":"overloaded"}}'); return true; }
} });
const a1 = await flaky('a1'); const a2 = await flaky('a2');
const cfg = gwConfig([{ name: 'a1', baseUrl: a1.url }, { name: 'a2', baseUrl: a2.url }], { store: { redis: proxy.url }, router: { deadlineMs: 3000 } });
const g = await startGateway({ config: cfg, tag: 'f' });
const g2 = await startGateway({ config: cfg, tag: 'f2' });
console.log('gateways up', g.startMs, g2.startMs, 'ms');
let phase = 'warm'; const rec = {};
let running = true;
const loop = async (url) => { while (running) { const p = phase; const r = await chat(url, 'gpt-4o-mini', { timeoutMs: 8000 }); (rec[p] ??= []).push(r); await sleep(5); } };
const loops = [...Array(6)].map((_, i) => loop(i % 2 ? g.url : g2.url));
const setPhase = async (p, ms, action) => { phase = p; if (action) await action(); await sleep(ms); };
await setPhase('warm', 2000);
await setPhase('delay500', 4000, () => { proxy.mode = 'delay:500'; });
await setPhase('blackhole', 4000, () => { proxy.mode = 'blackhole'; });
await setPhase('pass-after-blackhole', 3000, () => { proxy.release(); });
await setPhase('client-pause', 4000, () => redisCli(redis.port, ['CLIENT', 'PAUSE', '3000', 'ALL']));
await setPhase('after-pause', 2000);
await setPhase('oom', 4000, async () => { await redisCli(redis.port, ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']); await redisCli(redis.port, ['CONFIG', 'SET', 'maxmemory', '1']); });
await setPhase('after-oom', 3000, () => redisCli(redis.port, ['CONFIG', 'SET', 'maxmemory', '0']));
let redis2;
await setPhase('redis-dead', 4000, () => redis.stop());
await setPhase('redis-restarted', 4000, async () => { redis2 = await startRedis(redis.port); });
running = false; await Promise.all(loops);
const pct = (a, q) => a[Math.min(a.length - 1, Math.floor(q * a.length))];
for (const [p, rs] of Object.entries(rec)) {
  const ms = rs.map((r) => r.ms).sort((x, y) => x - y);
  const st = {}; for (const r of rs) st[r.status] = (st[r.status] ?? 0) + 1;
  console.log(p.padEnd(22), 'n=' + rs.length, JSON.stringify(st), `p50=${pct(ms, .5)} p99=${pct(ms, .99)} max=${ms.at(-1)}`);
}
const lines = (gw) => gw.logs.filter((l) => /detour: Redis/.test(l)).map((l) => (l.t ?? '') + l.trim().slice(0, 150));
console.log('g logs:', lines(g).length, lines(g).slice(0, 12));
console.log('g2 logs:', lines(g2).length);
console.log('proxy connections opened:', proxy.conns);
console.log('keys after restart:', (await redisCli(redis.port, ['KEYS', '*'])).replace(/\n/g, ' '));
const errs = [...g.logs, ...g2.logs].filter((l) => /Unhandled|TypeError|at .*\.js/.test(l));
console.log('crash-ish lines:', errs.slice(0, 5));
console.log('gateway alive:', g.child.exitCode === null, g2.child.exitCode === null);
g.stop(); g2.stop(); proxy.close(); await redis2.stop(); closeServer(a1); closeServer(a2);
process.exit(0);
