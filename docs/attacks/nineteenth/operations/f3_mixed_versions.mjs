// Rolling upgrade: an old build (d5fa46a, 2026-12-03, worktree /tmp/attack19/old) and the current build on one Redis
// and one prefix. Does each learn the other's cooldowns, breakers and quota spend, and does either log errors?
import { startRedis, startUpstream, startGateway, chat, getJson, redisDump, gwConfig, cleanup, hardStop, sleep, OLD, REPO } from './lib.mjs';
hardStop(90000);
const GK = 'gk-test-0123456789';
try {
  const redis = await startRedis(6393);
  const P = await startUpstream('primary', { 'sk-primary-AAAA1111bbbb': 'ok' });
  const B = await startUpstream('backup', { 'sk-backup-BBBB2222cccc': 'ok' });
  const L = await startUpstream('limited', { 'sk-limited-CCCC3333dddd': 'ok' });
  const cfg = gwConfig([
    { name: 'primary', baseUrl: P.url, apiKey: 'sk-primary-AAAA1111bbbb', priority: 0, models: ['m1', 'm2', 'm3', 'm4'] },
    { name: 'backup', baseUrl: B.url, apiKey: 'sk-backup-BBBB2222cccc', priority: 1, models: ['m1', 'm2', 'm3', 'm4'] },
    { name: 'limited', baseUrl: L.url, apiKey: 'sk-limited-CCCC3333dddd', models: ['q'], limits: { rpm: 10 } },
  ], redis.url, { gatewayKeys: [GK] });
  const O = await startGateway('f3-old', cfg, { repo: OLD });
  const N = await startGateway('f3-new', cfg, { repo: REPO });
  console.log('old', O.url, 'new', N.url);
  const ep = async (gw, model) => { const r = await chat(gw, GK, model); return `${r.status}/${r.endpoint ?? r.error}`; };
  console.log('both serve:', await ep(O, 'm1'), await ep(N, 'm1'));
  // 429 seen by the new build, learned by the old one?
  P.state.keys['sk-primary-AAAA1111bbbb'] = 'rate';
  console.log('new sees 429 on m1:', await ep(N, 'm1'));
  P.state.keys['sk-primary-AAAA1111bbbb'] = 'ok';
  await sleep(200);
  let before = P.seen.length;
  console.log('old after it, m1:', await ep(O, 'm1'), `(primary asked ${P.seen.length - before} times; expected 0)`);
  // And the other way.
  P.state.keys['sk-primary-AAAA1111bbbb'] = 'rate';
  console.log('old sees 429 on m2:', await ep(O, 'm2'));
  P.state.keys['sk-primary-AAAA1111bbbb'] = 'ok';
  await sleep(200);
  before = P.seen.length;
  console.log('new after it, m2:', await ep(N, 'm2'), `(primary asked ${P.seen.length - before} times; expected 0)`);
  // Breaker opened by the old build (5 failures in a row on m3), seen by the new.
  P.state.keys['sk-primary-AAAA1111bbbb'] = '500';
  const oldTrip = []; for (let i = 0; i < 6; i++) oldTrip.push(await ep(O, 'm3'));
  console.log('old, primary 500s:', oldTrip.join(' '));
  await sleep(200);
  before = P.seen.length;
  console.log('new, m4 after the old build opened the breaker:', await ep(N, 'm4'), `(primary asked ${P.seen.length - before} times; expected 0)`);
  const hN = await getJson(N, '/healthz'); const hO = await getJson(O, '/healthz');
  const brief = (h) => JSON.stringify(h.body?.endpoints?.map((e) => [e.name, e.breaker, e.available]));
  console.log('healthz new:', brief(hN), ' old:', brief(hO));
  P.state.keys['sk-primary-AAAA1111bbbb'] = 'ok';
  await sleep(5500);
  const probes = await Promise.all([ep(N, 'm4'), ep(O, 'm4'), ep(N, 'm4'), ep(O, 'm4')]);
  console.log('after openMs, both at once:', probes.join(' '));
  await sleep(300);
  console.log('healthz after probe new:', brief(await getJson(N, '/healthz')), ' old:', brief(await getJson(O, '/healthz')));
  // Quota: rpm 10 shared by both builds.
  const q = [];
  for (let i = 0; i < 8; i++) { q.push('O' + (await ep(O, 'q')).split('/')[0]); await sleep(300); }
  for (let i = 0; i < 8; i++) { q.push('N' + (await ep(N, 'q')).split('/')[0]); await sleep(300); }
  console.log('rpm 10 across old then new:', q.join(' '), `-> upstream served ${L.seen.length} (expected about 10)`);
  const dump = await redisDump(redis.client);
  console.log('redis keys:', Object.keys(dump).join(', '));
  await O.stop(); await N.stop();
  console.log('old stderr:', JSON.stringify(O.out.stderr.slice(0, 1500)));
  console.log('new stderr:', JSON.stringify(N.out.stderr.slice(0, 1500)));
} finally { await cleanup(); }
