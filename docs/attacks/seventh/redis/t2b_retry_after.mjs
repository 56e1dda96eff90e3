// Poisoned far-future deadline: what Retry-After does the caller get, and does a DEL of the key un-stick the gateway?
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, sleep, watchdog, closeServer, GK } from './lib.mjs';
watchdog(30000);
const redis = await startRedis();
const only = await startUpstream({ name: 'only' });
const g = await startGateway({ config: gwConfig([{ name: 'only', baseUrl: only.url }], { store: { redis: redis.url } }), tag: 'ra' });
await redisCli(redis.port, ['HSET', '{detour}:endpoint:only', 'disabledUntil', '1e308', 'reason', 'x']);
await redisCli(redis.port, ['SADD', '{detour}:endpoints', 'only']);
await sleep(1500);
const req = () => fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${GK}` }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
let r = await req();
console.log('status', r.status, 'retry-after:', JSON.stringify(r.headers.get('retry-after')), (await r.text()).slice(0, 140));
await redisCli(redis.port, ['DEL', '{detour}:endpoint:only']);
await sleep(2500);
r = await req();
console.log('after DEL + 2.5 s: status', r.status, 'retry-after:', JSON.stringify(r.headers.get('retry-after')));
const hz = JSON.parse(await fetch(`${g.url}/healthz`).then((x) => x.text()));
console.log('healthz:', JSON.stringify(hz.endpoints[0]).slice(0, 200), 'status', hz.status);
g.stop(); await redis.stop(); closeServer(only); process.exit(0);
