// Restart with a half-open probe in flight: gateway A holds the fleet's one probe slot of 'primary' (the upstream
// hangs on it); A gets SIGTERM (shutdownGraceMs 1500) and exits. Is the slot given back, or does the fleet
// (gateway B) wait out probeTimeoutMs (30 s default) before it may probe the recovered endpoint?
import { startRedis, startUpstream, startGateway, chat, getJson, redisDump, gwConfig, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(80000);
const GK = 'gk-test-0123456789';
const signal = process.argv[2] ?? 'SIGTERM';
try {
  const redis = await startRedis(6396);
  const P = await startUpstream('primary', { 'sk-primary-AAAA1111bbbb': '500' });
  const B = await startUpstream('backup', { 'sk-backup-BBBB2222cccc': 'ok' });
  const cfg = gwConfig([
    { name: 'primary', baseUrl: P.url, apiKey: 'sk-primary-AAAA1111bbbb', priority: 0 },
    { name: 'backup', baseUrl: B.url, apiKey: 'sk-backup-BBBB2222cccc', priority: 1 },
  ], redis.url, { gatewayKeys: [GK], shutdownGraceMs: 1500, router: { breaker: { openMs: 1000, maxOpenMs: 1000 } } });
  const A = await startGateway('f5-a', cfg);
  const Bg = await startGateway('f5-b', cfg);
  for (let i = 0; i < 6; i++) await chat(A, GK);
  console.log('breaker after 500s:', JSON.stringify((await getJson(Bg, '/healthz')).body.endpoints.map((e) => [e.name, e.breaker])));
  P.state.keys['sk-primary-AAAA1111bbbb'] = 'hang';
  await sleep(1200);
  const pending = chat(A, GK).catch((e) => ({ status: 'error ' + e.name }));
  await sleep(300);
  console.log('probe held by A; probes in redis:', JSON.stringify(await redis.client.zrange('{detour}:probes:primary', 0, -1, 'WITHSCORES')));
  P.state.keys['sk-primary-AAAA1111bbbb'] = 'ok';
  const t0 = Date.now();
  console.log(`${signal} A ->`, JSON.stringify(await A.stop(signal)), `after ${Date.now() - t0} ms; A's caller got`, (await pending).status);
  console.log('probes in redis after A exited:', JSON.stringify(await redis.client.zrange('{detour}:probes:primary', 0, -1, 'WITHSCORES')));
  const t1 = Date.now();
  let firstPrimary;
  while (Date.now() - t1 < 40000) {
    const r = await chat(Bg, GK);
    if (r.endpoint === 'primary') { firstPrimary = Date.now() - t1; break; }
    await sleep(250);
  }
  console.log(firstPrimary === undefined ? 'B never went back to primary within 40 s' : `B first served by the recovered primary ${firstPrimary} ms after A exited (expected under ~1 s: openMs is 1 s)`);
  await Bg.stop();
} finally { await cleanup(); }
