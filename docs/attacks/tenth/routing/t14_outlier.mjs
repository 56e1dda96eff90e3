// selection: latency — one slow answer (3 s) from an otherwise fast endpoint: how long until it gets traffic again?
import { upstream, node, sleep, send200, body } from './lib.mjs';
const A = await upstream('A', async (q, s) => send200(s, A.hits === 20 ? Number(process.env.SLOW ?? 3000) : 10));
const B = await upstream('B', async (q, s) => send200(s, 10));
const router = node.createRouter({ selection: 'latency', endpoints: [{ name: 'A', baseUrl: A.url }, { name: 'B', baseUrl: B.url }] });
const CONC = Number(process.env.CONC ?? 1);
const t0 = Date.now(); let slowAt = 0, firstBack = 0; const log = [];
let stop = false;
const worker = async () => { while (!stop) { const r = await router.send({ path: '/chat/completions', body: body() }); if (r.endpoint === 'A' && A.hits > 20 && !firstBack) firstBack = Date.now(); await sleep(20); } };
setTimeout(() => (stop = true), Number(process.env.RUN ?? 40000));
const ws = Array.from({ length: CONC }, worker);
const tick = setInterval(() => log.push(`${Math.round((Date.now() - t0) / 1000)}s A=${A.hits} B=${B.hits}`), 5000);
await Promise.all(ws); clearInterval(tick);
const slowEnd = A.times[19] ? A.times[19] + Number(process.env.SLOW ?? 3000) : 0;
console.log(`conc=${CONC}: slow answer ended at ${Math.round((slowEnd - t0) / 100) / 10}s; next request to A ${A.times[20] ? Math.round((A.times[20] - slowEnd) / 100) / 10 + ' s later' : 'never (run ends at 40 s)'}`);
console.log(log.join(' | '));
A.close(); B.close(); process.exit(0);
