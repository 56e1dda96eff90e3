// Stale endpoints from old configs: every endpoint name that ever cooled or tripped keeps a hash and a member of
// {detour}:endpoints forever. With N stale names (each with a breaker history, as any endpoint that once tripped and
// recovered has): what does each instance pay per reload, does the set ever shrink, and does a new instance still
// learn the state of its own configured endpoints?
// Usage: node f7_stale_endpoints.mjs [N]
import { startRedis, startUpstream, startGateway, chat, getJson, gwConfig, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(120000);
const GK = 'gk-test-0123456789';
const N = Number(process.argv[2] ?? 3000);
try {
  const redis = await startRedis(6398);
  const U = await startUpstream('u', { 'sk-proj-LIVEkey0123456789abcdXYZ': 'ok', 'sk-proj-BACKUPkey0123456789ZYX': 'ok' });
  const r = redis.client;
  const [sec] = await r.time();
  const now = Number(sec) * 1000;
  // The live endpoint: its breaker is open for 10 minutes (the fleet saw it fail); a fresh instance must not use it.
  const pipe = r.pipeline();
  for (let i = 0; i < N; i++) {
    const name = `old-key-${String(i).padStart(5, '0')}`;
    pipe.hset(`{detour}:endpoint:${name}`, 'breakerPosition', 'closed', 'breakerOpenUntil', '0', 'breakerGeneration', '2', 'breakerTrips', '0');
    pipe.sadd('{detour}:endpoints', name);
  }
  pipe.hset('{detour}:endpoint:openai', 'breakerPosition', 'open', 'breakerOpenUntil', String(now + 600000), 'breakerGeneration', '1', 'breakerTrips', '1');
  pipe.sadd('{detour}:endpoints', 'openai');
  await pipe.exec();
  const cfg = gwConfig([
    { name: 'openai', baseUrl: U.url, apiKey: 'sk-proj-LIVEkey0123456789abcdXYZ', priority: 0 },
    { name: 'backup', baseUrl: U.url, apiKey: 'sk-proj-BACKUPkey0123456789ZYX', priority: 1 },
  ], redis.url, { gatewayKeys: [GK] });
  await r.config('RESETSTAT');
  const t0 = Date.now();
  const G = await startGateway('f7', cfg);
  console.log(`${N} stale names; gateway listening after ${Date.now() - t0} ms`);
  await sleep(1500);
  const h = await getJson(G, '/healthz');
  console.log('healthz openai:', JSON.stringify(h.body.endpoints.find((e) => e.name === 'openai')));
  const res = await chat(G, GK);
  console.log(`first request served by ${res.endpoint} (expected backup: openai's breaker is open fleet-wide)`);
  await r.config('RESETSTAT');
  const m0 = await fetch(`${G.url}/metrics`).then((x) => x.text());
  await sleep(5000);
  const stats = await r.info('commandstats');
  const hg = stats.match(/cmdstat_hgetall:calls=(\d+),usec=(\d+)/);
  const cpu = await r.info('cpu');
  console.log(`in 5 s idle, one gateway made ${hg?.[1]} HGETALL calls (${hg?.[2]} us of Redis time)`);
  const m = await fetch(`${G.url}/metrics`).then((x) => x.text());
  const lag = m.split('\n').filter((l) => /eventloop_lag|resident_memory/.test(l) && !l.startsWith('#')).join(' | ');
  console.log('gateway process:', lag);
  console.log('stale members still listed:', await r.scard('{detour}:endpoints'));
  await G.stop();
} finally { await cleanup(); }
