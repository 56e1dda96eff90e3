// Does a 429 seen by gateway A still reach gateway B when Redis holds one bad key? (and log behaviour)
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer } from './lib.mjs';
watchdog(120000);
const redis = await startRedis();
let limitNext = false;
const primary = await startUpstream({ name: 'primary', behaviour: (req, json, res) => {
  if (json.model === 'trip') { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":{"message":"boom"}}'); return true; }
  if (limitNext) { limitNext = false; res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '15' }); res.end('{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}'); return true; }
} });
const backup = await startUpstream({ name: 'backup' });
const cfg = gwConfig([{ name: 'primary', baseUrl: primary.url, priority: 0 }, { name: 'backup', baseUrl: backup.url, priority: 1 }], { store: { redis: redis.url } });
const scenarios = {
  clean: [],
  wrongTypeOtherEndpoint: [['SET', '{detour}:endpoint:ghost', 'garbage'], ['SADD', '{detour}:endpoints', 'ghost']],
  garbageBreakerGeneration: [['HSET', '{detour}:endpoint:primary', 'breakerPosition', 'closed', 'breakerOpenUntil', '0', 'breakerGeneration', 'xyz', 'breakerTrips', '0'], ['SADD', '{detour}:endpoints', 'primary']],
};
const hz = async (g) => JSON.parse(await fetch(`${g.url}/healthz`).then((r) => r.text())).endpoints.find((e) => e.name === 'primary');
for (const [name, cmds] of Object.entries(scenarios)) {
  await redisCli(redis.port, ['FLUSHALL']);
  const a = await startGateway({ config: cfg, tag: 'a' + name });
  const b = await startGateway({ config: cfg, tag: 'b' + name });
  for (const c of cmds) await redisCli(redis.port, c);
  await sleep(1500);
  // Make A's breaker on primary open (500s -> failover to backup)
  if (name === 'garbageBreakerGeneration') { for (let i = 0; i < 12; i++) await chat(a.url, 'trip'); }
  limitNext = true;
  const r = await chat(a.url);
  await sleep(1500);
  const ha = await hz(a), hb = await hz(b);
  const servedB = (await chat(b.url)).text.match(/hi from (\w+)/)?.[1];
  console.log(`[${name}] A served by ${r.text.match(/hi from (\w+)/)?.[1]}; A primary cooldown=${ha.cooldownSeconds}s breaker=${ha.breaker}; B primary cooldown=${hb.cooldownSeconds}s breaker=${hb.breaker}; B next request -> ${servedB}`);
  await sleep(4000);
  const la = a.logs.filter((l) => /unavailable/.test(l)).length;
  console.log(`[${name}] A 'unavailable' log lines over ~7 s:`, la, (a.logs.find((l) => /unavailable/.test(l)) ?? '').trim().slice(0, 160));
  console.log(`[${name}] redis primary hash:`, (await redisCli(redis.port, ['HGETALL', '{detour}:endpoint:primary'])).replace(/\n/g, ' '));
  a.stop(); b.stop();
}
await redis.stop(); closeServer(primary); closeServer(backup);
process.exit(0);
