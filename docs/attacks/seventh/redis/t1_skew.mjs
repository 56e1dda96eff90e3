// A fleet member whose clock runs 1 h fast cools an endpoint for 20 s (by its clock); see how long the rest of the fleet avoids it.
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer } from './lib.mjs';
import { createRedisStore } from '/work/main/packages/redis/dist/index.js';
watchdog(60000);
const redis = await startRedis();
const primary = await startUpstream({ name: 'primary' });
const backup = await startUpstream({ name: 'backup' });
const cfg = gwConfig([{ name: 'primary', baseUrl: primary.url, priority: 0 }, { name: 'backup', baseUrl: backup.url, priority: 1 }], { store: { redis: redis.url } });
const g = await startGateway({ config: cfg, tag: 'g1' });
console.log('gateway start', g.startMs, 'ms', g.error?.message ?? '');
console.log('before:', (await chat(g.url)).text.match(/hi from \w+/)?.[0]);
// the skewed member: same library, clock 1 h ahead (e.g. a VM whose NTP broke)
const skew = 3600_000;
const skewed = createRedisStore({ url: redis.url, clock: { now: () => Date.now() + skew, schedule: (f, ms) => setTimeout(f, ms), cancel: (h) => clearTimeout(h) } , log: (m) => console.log('[skewed log]', m) });
await skewed.ready;
// what its router does on a 429 with retry-after: 20 s
skewed.coolDown('primary', Date.now() + skew + 20_000, undefined, 'rate_limited (retry-after 20s)');
await sleep(300);
console.log('redis hash:', (await redisCli(redis.port, ['HGETALL', '{detour}:endpoint:primary'])).replace(/\n/g, ' '));
await skewed.close();
for (const t of [1, 25]) {
  if (t > 1) await sleep(24_000);
  const served = [];
  for (let i = 0; i < 5; i++) served.push((await chat(g.url)).text.match(/hi from (\w+)/)?.[1]);
  console.log(`t≈${t}s after the 20 s cooldown was set: served by`, served.join(','));
}
const hz = await fetch(`${g.url}/healthz`).then((r) => r.text());
console.log('healthz primary:', hz.slice(0, 600));
// operator deletes the poisoned key
await redisCli(redis.port, ['DEL', '{detour}:endpoint:primary']);
await sleep(2500);
console.log('after DEL + 2.5 s: served by', (await chat(g.url)).text.match(/hi from (\w+)/)?.[1]);
// Redis restarts empty: does the gateway re-infect it?
await redis.stop();
const redis2 = await startRedis(redis.port);
await sleep(3000);
console.log('after redis restart, hash in redis:', (await redisCli(redis.port, ['HGETALL', '{detour}:endpoint:primary'])).replace(/\n/g, ' '));
g.stop(); await redis2.stop(); closeServer(primary); closeServer(backup);
process.exit(0);
