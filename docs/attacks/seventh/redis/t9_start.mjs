// Gateway start while Redis is down (port closed) or black-holed (TCP accepted, nothing answers); then Redis comes back: does the gateway join?
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer, startProxy, freePort } from './lib.mjs';
watchdog(90000);
const up = await startUpstream({ name: 'up' });
const backup = await startUpstream({ name: 'backup' });
const eps = (url) => gwConfig([{ name: 'up', baseUrl: up.url }, { name: 'backup', baseUrl: backup.url, priority: 1 }], { store: { redis: url } });
// 1. nothing listening
const port = await freePort();
const g = await startGateway({ config: eps(`redis://127.0.0.1:${port}`), tag: 's1' });
const r1 = await chat(g.url);
console.log(`redis down: gateway listening after ${g.startMs} ms; first request ${r1.status} in ${r1.ms} ms`);
const redis = await startRedis(port);
await sleep(2500);
// does the gateway now share? cool 'up' from redis side via a second gateway that sees it
await redisCli(redis.port, ['HSET', '{detour}:endpoint:up', 'cooldownUntil', String(Date.now() + 5000), 'reason', 'test']);
await redisCli(redis.port, ['SADD', '{detour}:endpoints', 'up']);
await sleep(1500);
console.log('after redis started + fleet cooldown written: served by', (await chat(g.url)).text.match(/hi from (\w+)/)?.[1], '| log:', g.logs.map((l) => l.trim().slice(0, 100)).join(' | '));
g.stop();
// 2. black hole
const proxy = await startProxy(redis.port); proxy.mode = 'blackhole';
const g2 = await startGateway({ config: eps(proxy.url), tag: 's2' });
const r2 = g2.url ? await chat(g2.url) : { status: 'n/a', ms: 0 };
console.log(`redis black-holed: gateway ${g2.url ? 'listening' : 'NOT listening'} after ${g2.startMs} ms; first request ${r2.status} in ${r2.ms} ms`);
proxy.release();
await sleep(3000);
await redisCli(redis.port, ['HSET', '{detour}:endpoint:up', 'cooldownUntil', String(Date.now() + 5000), 'reason', 'test2']);
await sleep(1500);
console.log('after black hole lifted + fleet cooldown written: served by', g2.url ? (await chat(g2.url)).text.match(/hi from (\w+)/)?.[1] : 'n/a', '| log:', g2.logs.map((l) => l.trim().slice(0, 100)).join(' | '));
g2.stop(); proxy.close(); await redis.stop(); closeServer(up); closeServer(backup);
process.exit(0);
