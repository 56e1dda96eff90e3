import { upstream, node, sleep, send200, sendStatus, body } from './lib.mjs';
const A = await upstream('A', async (req, res) => sendStatus(res, 500, {}, Number(process.env.AD ?? 0)));
const B = await upstream('B', async (req, res) => send200(res, 20));
const router = node.createRouter({ endpoints: [{ name: 'A', baseUrl: A.url, priority: 0 }, { name: 'B', baseUrl: B.url, priority: 1 }], breaker: { openMs: 1000, maxOpenMs: 8000 } });
const t0 = Date.now(); const ev = [];
router.subscribe((e) => { if (e.type === 'breaker-change') ev.push(`${Date.now() - t0} ${e.from}->${e.to}`); });
let n = 0, fail = 0; const ps = [];
while (Date.now() - t0 < 16000) { ps.push(router.send({ path: '/chat/completions', body: body() }).then(() => n++, (e) => { fail++; })); await sleep(25); }
await Promise.allSettled(ps);
console.log('callers ok', n, 'failed', fail, 'A hits', A.hits, 'B hits', B.hits);
console.log(ev.join('\n'));
A.close(); B.close(); process.exit(0);
