// Hostile model names in Redis fields/pub-sub, and a flood of published messages naming endpoints nobody configured.
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer } from './lib.mjs';
import fs from 'node:fs';
import { Redis } from '/work/main/packages/redis/node_modules/ioredis/built/index.js';
watchdog(120000);
const redis = await startRedis();
const primary = await startUpstream({ name: 'primary', behaviour: (req, json, res) => {
  if (json.model === 'gpt-4o-mini') return false;
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' }); res.end(JSON.stringify({ error: { message: 'Rate limit reached for model', code: 'rate_limit_exceeded' } })); return true;
} });
const backup = await startUpstream({ name: 'backup' });
const cfg = gwConfig([{ name: 'primary', baseUrl: primary.url }, { name: 'backup', baseUrl: backup.url, priority: 1 }], { store: { redis: redis.url } });
const a = await startGateway({ config: cfg, tag: 'na' }); const b = await startGateway({ config: cfg, tag: 'nb' });
const names = ['__proto__', 'constructor', 'toString', 'a|s|requests', 'a%00b', 'line\nbreak', 'x:y:*', 'model:model:z', '{detour}:endpoints', 'ünï😀'];
for (const m of names) await chat(a.url, m);
await sleep(800);
const hb = JSON.parse(await fetch(`${b.url}/healthz`).then((r) => r.text())).endpoints.find((e) => e.name === 'primary');
console.log('B knows model cooldowns for:', JSON.stringify(Object.keys(hb.modelCooldownSeconds)));
const served = []; for (const m of names) served.push((await chat(b.url, m)).text.match(/hi from (\w+)/)?.[1] ?? 'ERR');
console.log('B routes those models to:', served.join(','));
console.log('A alive', a.child.exitCode === null, 'B alive', b.child.exitCode === null, '| keys:', (await redisCli(redis.port, ['KEYS', '*endpoint*'])).replace(/\n/g, ' '));
// publish flood: 200k messages, each naming a different endpoint
const rss = (g) => Math.round(Number(fs.readFileSync(`/proc/${g.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024);
const r0 = rss(b);
const pub = new Redis(redis.url);
for (let k = 0; k < 200; k++) { const p = pub.pipeline(); for (let j = 0; j < 1000; j++) p.publish('detour:events', JSON.stringify({ endpoint: `ghost-${k}-${j}`, fields: ['cooldownUntil', String(Date.now() + 3600_000), 'reason', 'r'.repeat(200)] })); await p.exec(); }
await sleep(3000);
const t0 = Date.now(); const hz = await fetch(`${b.url}/healthz`).then((r) => r.text());
console.log(`after 200k published messages naming unconfigured endpoints: B RSS ${r0} -> ${rss(b)} MB; /healthz ${hz.length} bytes in ${Date.now() - t0} ms; request -> ${(await chat(b.url)).status}`);
pub.disconnect(); a.stop(); b.stop(); await redis.stop(); closeServer(primary); closeServer(backup);
process.exit(0);
