// Quota admission (limits.rpm 10) shared by two gateways on one Redis: old+new, new+new, old+old.
// Usage: node f3b_quota_mixed.mjs old,new | new,new | old,old
import { startRedis, startUpstream, startGateway, chat, gwConfig, cleanup, hardStop, sleep, OLD, REPO } from './lib.mjs';
hardStop(90000);
const GK = 'gk-test-0123456789';
const [va, vb] = (process.argv[2] ?? 'old,new').split(',');
try {
  const redis = await startRedis(6394);
  const L = await startUpstream('limited', { 'sk-limited-CCCC3333dddd': 'ok' });
  const cfg = gwConfig([{ name: 'limited', baseUrl: L.url, apiKey: 'sk-limited-CCCC3333dddd', models: ['q'], limits: { rpm: 10 } }], redis.url,
    { gatewayKeys: [GK], router: { admission: { maxQueueMs: 0 } } });
  const A = await startGateway('f3b-a', cfg, { repo: va === 'old' ? OLD : REPO });
  const B = await startGateway('f3b-b', cfg, { repo: vb === 'old' ? OLD : REPO });
  const t0 = Date.now();
  const q = [];
  for (let i = 0; i < 8; i++) { const r = await chat(A, GK, 'q'); q.push(`A${r.status}`); await sleep(300); }
  for (let i = 0; i < 8; i++) { const r = await chat(B, GK, 'q'); q.push(`B${r.status}`); await sleep(300); }
  console.log(`${va}(A) then ${vb}(B), rpm 10, maxQueueMs 0, ${Date.now() - t0} ms:`, q.join(' '), `-> upstream served ${L.seen.length} (expected 10 or 11)`);
  await A.stop(); await B.stop();
  if (A.out.stderr || B.out.stderr) console.log('stderr:', A.out.stderr.slice(0, 500), B.out.stderr.slice(0, 500));
} finally { await cleanup(); }
