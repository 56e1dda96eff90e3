// Restart: a gateway spends its rpm (10) then is restarted (SIGTERM, start again with the same config on the same
// Redis). Does the new process learn the spend from the ledger, or double-spend? Also a restart mid-traffic with
// a probe in flight and a cooldown raised during the drain.
import { startRedis, startUpstream, startGateway, chat, getJson, redisDump, gwConfig, cleanup, hardStop, sleep } from './lib.mjs';
hardStop(90000);
const GK = 'gk-test-0123456789';
try {
  const redis = await startRedis(6395);
  const L = await startUpstream('limited', { 'sk-limited-CCCC3333dddd': 'ok' });
  const cfg = gwConfig([{ name: 'limited', baseUrl: L.url, apiKey: 'sk-limited-CCCC3333dddd', models: ['q'], limits: { rpm: 10 } }], redis.url,
    { gatewayKeys: [GK], router: { admission: { maxQueueMs: 0 } } });
  for (const gap of [0, 400, 1500]) {
    await redis.client.flushall();
    L.seen.length = 0;
    const A = await startGateway('f4-a', cfg);
    const q = [];
    for (let i = 0; i < 10; i++) q.push((await chat(A, GK, 'q')).status);
    await sleep(gap);
    await A.stop();
    const A2 = await startGateway('f4-a2', cfg);
    const q2 = [];
    for (let i = 0; i < 6; i++) { q2.push((await chat(A2, GK, 'q')).status); }
    await sleep(400);
    for (let i = 0; i < 3; i++) q2.push((await chat(A2, GK, 'q')).status);
    console.log(`wait ${gap} ms before SIGTERM: first life ${q.join(',')}; after restart ${q2.join(',')}; upstream served ${L.seen.length} (limit 10 a minute)`);
    await A2.stop();
  }
} finally { await cleanup(); }
