import { upstream, node, sleep, send200, sendStatus, body } from './lib.mjs';
const t00 = Date.now();
const A = await upstream('A', async (q, s) => (Date.now() - t00 < 2000 ? sendStatus(s, 429, { 'retry-after': '2' }) : send200(s, 20)));
const B = await upstream('B', async (q, s) => send200(s, 20));
const router = node.createRouter({ endpoints: [{ name: 'A', baseUrl: A.url }, { name: 'B', baseUrl: B.url, priority: 1 }], preferWaitMs: 5000, admission: { enabled: process.env.ADM !== '0' } });
const kinds = {};
const wakes = []; const starts = []; router.subscribe((e) => { if (e.type === 'retry-wait') wakes.push(e.at + e.delayMs - t00); if (e.type === 'attempt-start') starts.push(Date.now() - t00); const k = e.type + (e.type === 'retry-wait' ? ':' + e.reason.slice(0, 30) : ''); kinds[k] = (kinds[k] ?? 0) + 1; });
const ps = [];
ps.push(router.send({ path: '/chat/completions', body: body() }));
await sleep(50);
for (let i = 0; i < 200; i++) { ps.push(router.send({ path: '/chat/completions', body: body() })); await sleep(10); }
await Promise.allSettled(ps);
const after = A.times.filter((t) => t - t00 >= 2000).map((t) => t - t00);
const hist = {}; for (const t of after) { const k = Math.floor(t / 10) * 10; hist[k] = (hist[k] ?? 0) + 1; }
const wh = {}; for (const t of wakes) { const k = Math.floor(t / 10) * 10; wh[k] = (wh[k] ?? 0) + 1; } const sh = {}; for (const t of starts) { const k = Math.floor(t / 10) * 10; sh[k] = (sh[k] ?? 0) + 1; } console.log('starts', Object.entries(sh).map(([k, v]) => k + ':' + v).join(' ')); console.log('planned wakes', Object.entries(wh).map(([k, v]) => k + ':' + v).join(' '));
console.log(Object.entries(hist).map(([k, v]) => `${k}:${v}`).join(' '));
A.close(); B.close(); process.exit(0);
