// Follow-up to t5: the gateway waits silently as long as the subscriber cannot connect; it starts only once a slot frees.
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer } from './lib.mjs';
import net from 'node:net';
watchdog(60000);
const redis = await startRedis();
await redisCli(redis.port, ['CONFIG', 'SET', 'maxclients', '3']);
const holders = [];
for (let i = 0; i < 2; i++) holders.push(await new Promise((r) => { const s = net.connect(redis.port, '127.0.0.1', () => r(s)); }));
await sleep(200);
const up = await startUpstream({ name: 'up' });
const t0 = Date.now();
const p = startGateway({ config: gwConfig([{ name: 'up', baseUrl: up.url }], { store: { redis: redis.url } }), tag: 'rh2' });
await sleep(12000);
const clients = (await redisCli(redis.port, ['CLIENT', 'LIST']).catch((e) => 'redis-cli refused: ' + e.message.trim()));
console.log('after 12 s: clients on redis:', clients.trim().split('\n').length, clients.includes('max number') ? '(redis-cli itself refused)' : '');
holders[0].destroy();
const g = await p;
console.log(g.url ? `gateway started ${Date.now() - t0} ms after launch, i.e. only once a connection slot was freed at ~12000 ms` : 'gateway never started', '| output before that:', JSON.stringify(g.logs));
if (g.url) console.log('request:', (await chat(g.url)).status);
// subscriber killed mid-run (e.g. CLIENT KILL TYPE pubsub, or the pubsub output-buffer limit): does a cooldown still arrive?
holders[1].destroy(); await sleep(300);
g.stop(); await redis.stop(); closeServer(up); process.exit(0);
