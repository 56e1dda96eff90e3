import { upstream, node, sleep, send200, sendStatus, body } from './lib.mjs';
const CONC = Number(process.env.CONC ?? 1); const N = Number(process.env.N ?? 2000); const ST = Number(process.env.ST ?? 500);
const ups = [await upstream('good1', async (q, s) => send200(s, 20)), await upstream('good2', async (q, s) => send200(s, 20)), await upstream('fastfail', async (q, s) => sendStatus(s, ST))];
const router = node.createRouter({ selection: 'latency', endpoints: ups.map((u) => ({ name: u.name, baseUrl: u.url })),
  breaker: { consecutiveFailures: 100000, minimumVolume: 1000000 }, cooldown: { overloadedMs: 0 }, retryBudget: { minPerSecond: 1000 } });
let next = 0, fails = 0;
const worker = async () => { while (next < N) { next++; try { await router.send({ path: '/chat/completions', body: body() }); } catch { fails++; } } };
const t0 = Date.now();
await Promise.all(Array.from({ length: CONC }, worker));
const total = ups.reduce((s, u) => s + u.hits, 0);
console.log(`latency, conc=${CONC}, fastfail=${ST}: ${ups.map((u) => `${u.name} ${u.hits}`).join(', ')}; fastfail share of attempts ${(ups[2].hits / total * 100).toFixed(1)}%; caller failures ${fails}; ${Date.now() - t0} ms`);
ups.forEach((u) => u.close()); process.exit(0);
