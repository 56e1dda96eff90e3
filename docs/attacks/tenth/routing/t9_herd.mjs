import { upstream, node, sleep, send200, sendStatus, body } from './lib.mjs';
const t00 = Date.now();
const PW = Number(process.env.PW ?? 5000);
const A = await upstream('A', async (q, s) => (Date.now() - t00 < 2000 ? sendStatus(s, 429, { 'retry-after': '2' }) : send200(s, 20)));
const B = await upstream('B', async (q, s) => send200(s, 20));
const router = node.createRouter({ endpoints: [{ name: 'A', baseUrl: A.url }, { name: 'B', baseUrl: B.url, priority: 1 }], preferWaitMs: PW });
const ps = [];
ps.push(router.send({ path: '/chat/completions', body: body() }));
await sleep(50);
for (let i = 0; i < 200; i++) { ps.push(router.send({ path: '/chat/completions', body: body() })); await sleep(10); }
const res = await Promise.allSettled(ps);
const by = {}; for (const r of res) { const k = r.status === 'fulfilled' ? r.value.endpoint : r.reason?.code; by[k] = (by[k] ?? 0) + 1; }
const after = A.times.filter((t) => t - t00 >= 2000).map((t) => t - t00);
const hist = {}; for (const t of after) { const k = Math.floor(t / 10) * 10; hist[k] = (hist[k] ?? 0) + 1; }
console.log(`preferWaitMs=${PW}: outcomes`, by, 'A hits', A.hits, 'B hits', B.hits);
console.log('A arrivals after its 2s cooldown, by 10ms bucket (ms since start: count):', Object.entries(hist).slice(0, 40).map(([k, v]) => `${k}:${v}`).join(' '));
A.close(); B.close(); process.exit(0);
