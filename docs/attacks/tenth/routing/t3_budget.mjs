import { upstream, node, sleep, send200, sendStatus, body } from './lib.mjs';
const ST = Number(process.env.ST ?? 500);
const mk = (n) => upstream(n, async (req, res) => sendStatus(res, ST, {}, 5));
const ups = [await mk('A'), await mk('B'), await mk('C')];
const router = node.createRouter({ endpoints: ups.map((u, i) => ({ name: u.name, baseUrl: u.url, priority: i === 0 ? 0 : 1 })),
  breaker: { consecutiveFailures: 100000, minimumVolume: 1000000 }, cooldown: { overloadedMs: 0 }, backoff: { baseMs: 10, capMs: 50 } });
const hits = () => ups.reduce((s, u) => s + u.hits, 0);
const burst = Number(process.env.BURST ?? 200);
let r = await Promise.allSettled(Array.from({ length: burst }, () => router.send({ path: '/chat/completions', body: body() })));
console.log(`startup burst ${burst}: upstream ${hits()} ratio ${(hits() / burst).toFixed(3)}`);
await sleep(11000);
const h0 = hits(); const t0 = Date.now(); const ps = []; let callers = 0;
while (Date.now() - t0 < 8000) { for (let i = 0; i < 10; i++) { callers++; ps.push(router.send({ path: '/chat/completions', body: body() }).catch(() => {})); } await sleep(50); }
await Promise.allSettled(ps);
console.log(`steady ~200 rps for 8 s: callers ${callers} upstream ${hits() - h0} ratio ${((hits() - h0) / callers).toFixed(3)}`);
ups.forEach((u) => u.close()); process.exit(0);
