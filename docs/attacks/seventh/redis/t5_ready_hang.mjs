// Only one of the store's two connections gets through (e.g. Redis at maxclients with one slot free): does `ready` settle / does the gateway start?
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer } from './lib.mjs';
import net from 'node:net';
watchdog(60000);
const redis = await startRedis();
// keep N idle connections so that exactly one slot is left
const info = await redisCli(redis.port, ['CONFIG', 'SET', 'maxclients', '3']);
const holders = [];
// redis-cli runs below take a slot briefly, so hold 2 and leave one
for (let i = 0; i < 2; i++) holders.push(await new Promise((r) => { const s = net.connect(redis.port, '127.0.0.1', () => r(s)); }));
await sleep(200);
const up = await startUpstream({ name: 'up' });
const { createRedisStore } = await import('/work/main/packages/redis/dist/index.js');
const logs = [];
const t0 = Date.now();
const store = createRedisStore({ url: redis.url, log: (m) => logs.push(m) });
const settled = await Promise.race([store.ready.then(() => 'settled'), sleep(8000).then(() => 'still pending')]);
console.log(`createRedisStore: ready ${settled} after ${Date.now() - t0} ms; connected=${store.connected}; logs=${JSON.stringify(logs)}`);
await store.close();
await sleep(300);
const g = await startGateway({ config: gwConfig([{ name: 'up', baseUrl: up.url }], { store: { redis: redis.url } }), tag: 'rh' });
console.log('gateway:', g.url ? `listening after ${g.startMs} ms` : `NOT listening after ${g.startMs} ms (${String(g.error).slice(0, 120)})`, 'alive=', g.child.exitCode === null);
console.log('gateway output:', g.logs.map((l) => l.trim()).join(' | ').slice(0, 300));
g.stop();
for (const h of holders) h.destroy();
await redis.stop(); closeServer(up);
process.exit(0);
