// Poisoned values written straight into Redis (as a compromised/buggy member or a typo by an operator could): what does the fleet do?
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer } from './lib.mjs';
watchdog(110000);
const redis = await startRedis();
const only = await startUpstream({ name: 'only' });
const cfg = gwConfig([{ name: 'only', baseUrl: only.url }], { store: { redis: redis.url } });
const scenarios = {
  farFutureCooldown: [['HSET', '{detour}:endpoint:only', 'cooldownUntil', '99999999999999', 'reason', 'x'], ['SADD', '{detour}:endpoints', 'only']],
  farFutureBreaker: [['HSET', '{detour}:endpoint:only', 'breakerPosition', 'open', 'breakerOpenUntil', '99999999999999', 'breakerGeneration', '1000000000', 'breakerTrips', '1'], ['SADD', '{detour}:endpoints', 'only']],
  hugeExponent: [['HSET', '{detour}:endpoint:only', 'disabledUntil', '1e308', 'reason', 'x'], ['SADD', '{detour}:endpoints', 'only']],
  wrongTypeEndpointsSet: [['SET', '{detour}:endpoints', 'garbage']],
  wrongTypeOtherEndpoint: [['SET', '{detour}:endpoint:ghost', 'garbage'], ['SADD', '{detour}:endpoints', 'ghost']],
};
for (const [name, cmds] of Object.entries(scenarios)) {
  await redisCli(redis.port, ['FLUSHALL']);
  const g = await startGateway({ config: cfg, tag: 'g' + name });
  const g2 = await startGateway({ config: cfg, tag: 'g2' + name });
  await sleep(300);
  for (const c of cmds) await redisCli(redis.port, c);
  await sleep(1500); // one reload
  const res = [];
  for (let i = 0; i < 4; i++) { const r = await chat(g.url); res.push(`${r.status}/${r.ms}ms`); }
  const body = (await chat(g.url)).text.slice(0, 160);
  // is sharing still working? g2 learns of a cooldown g sets? Use a direct HSET-free path: ask g2 health after g sees a 429
  console.log(`[${name}] responses:`, res.join(' '), '| body:', body);
  const warn = g.logs.filter((l) => /unavailable/.test(l));
  console.log(`[${name}] gateway 'unavailable' log lines after ~2s:`, warn.length, warn[0]?.trim().slice(0, 200) ?? '');
  g.stop(); g2.stop();
}
await redis.stop(); closeServer(only);
process.exit(0);
