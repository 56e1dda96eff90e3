// Subscriber connections killed (CLIENT KILL TYPE pubsub) right before A sees a 429: how long until B avoids the endpoint? And breaker open A -> B.
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer } from './lib.mjs';
watchdog(60000);
const redis = await startRedis();
let mode = 'ok';
const primary = await startUpstream({ name: 'primary', behaviour: (req, json, res) => {
  if (mode === '429') { mode = 'ok'; res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '20' }); res.end('{"error":{"message":"Rate limit","type":"requests","code":"rate_limit_exceeded"}}'); return true; }
  if (mode === '500') { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":{"message":"boom"}}'); return true; }
} });
const backup = await startUpstream({ name: 'backup' });
const cfg = gwConfig([{ name: 'primary', baseUrl: primary.url }, { name: 'backup', baseUrl: backup.url, priority: 1 }], { store: { redis: redis.url } });
const a = await startGateway({ config: cfg, tag: 'pa' }); const b = await startGateway({ config: cfg, tag: 'pb' });
const who = async (g) => (await chat(g.url)).text.match(/hi from (\w+)/)?.[1];
console.log('killed pubsub clients:', (await redisCli(redis.port, ['CLIENT', 'KILL', 'TYPE', 'pubsub'])).trim());
mode = '429'; await chat(a.url);
const t0 = Date.now(); let t;
while (Date.now() - t0 < 5000) { if ((await who(b)) === 'backup') { t = Date.now() - t0; break; } await sleep(50); }
console.log('B avoids primary', t === undefined ? 'NOT within 5 s' : `after ${t} ms`);
// breaker: 500s through A until its breaker opens; does B open too?
await sleep(200);
const b2 = await startGateway({ config: gwConfig([{ name: 'p2', baseUrl: primary.url }, { name: 'backup', baseUrl: backup.url, priority: 1 }], { store: { redis: redis.url } }), tag: 'pc' });
const a2 = await startGateway({ config: gwConfig([{ name: 'p2', baseUrl: primary.url }, { name: 'backup', baseUrl: backup.url, priority: 1 }], { store: { redis: redis.url } }), tag: 'pd' });
mode = '500';
for (let i = 0; i < 12; i++) await chat(a2.url, 'gpt-x');
await sleep(300);
const h = async (g) => JSON.parse(await fetch(`${g.url}/healthz`).then((r) => r.text())).endpoints.find((e) => e.name === 'p2').breaker;
console.log('breaker after 12 failing requests through A2: A2', await h(a2), '| B2', await h(b2));
mode = 'ok';
for (const g of [a, b, a2, b2]) g.stop(); await redis.stop(); closeServer(primary); closeServer(backup); process.exit(0);
