import { upstream, node, sleep, send200, sendStatus, body } from './lib.mjs';
let mode = 'fail';
const A = await upstream('A', async (req, res) => { if (mode === 'fail') return sendStatus(res, 500); if (mode==='slow') return send200(res, 2000); if (mode==='hang') return; });
const B = await upstream('B', async (req, res) => send200(res, 50));
const ONLY = process.env.ONLY === '1';
const eps = [{ name: 'A', baseUrl: A.url, priority: 0 }];
if (!ONLY) eps.push({ name: 'B', baseUrl: B.url, priority: 1 });
const router = node.createRouter({ endpoints: eps, breaker: { openMs: 1000, probeTimeoutMs: Number(process.env.PT ?? 30000) }, deadlineMs: 8000 });
const changes = [];
router.subscribe((e) => { if (e.type === 'breaker-change' || e.type?.includes('breaker')) changes.push(`${Date.now()%100000} ${e.endpoint} ${e.from}->${e.to}`); });
for (let i = 0; i < 6; i++) { try { await router.send({ path: '/chat/completions', body: body() }); } catch (e) {} }
console.log('after fails', (await router.health()).map((h) => `${h.name}:${h.breaker}`).join(' '), 'A hits', A.hits);
await sleep(1100);
mode = process.env.MODE ?? 'slow';
const a0 = A.hits, b0 = B.hits;
const t0 = Date.now();
const res = await Promise.allSettled(Array.from({ length: 200 }, () => router.send({ path: '/chat/completions', body: body() })));
const by = {}; for (const r of res) { const k = r.status === 'fulfilled' ? r.value.endpoint : r.reason?.code; by[k] = (by[k] ?? 0) + 1; }
console.log('200 concurrent after open period: A hits', A.hits - a0, 'B hits', B.hits - b0, 'outcomes', by, 'ms', Date.now() - t0);
console.log('A max inflight', A.maxInflight, 'A aborted', A.aborted);
console.log((await router.health()).map((h) => `${h.name}:${h.breaker}`).join(' '));
console.log(changes.join('\n'));
A.close(); B.close(); process.exit(0);
