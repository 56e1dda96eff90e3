// An endpoint that fails FAIL% of requests before any byte (HTTP STATUS) and streams the rest for STREAM_MS.
// Load: one new stream every GAP ms for RUN ms. Prints breaker changes and A's share.
import { upstream, node, sleep } from '../routing/lib.mjs';
const chunk = (c) => `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${c}"},"finish_reason":null}]}\n\n`;
const fin = `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
const FAIL = Number(process.env.FAIL ?? 0.2), STREAM_MS = Number(process.env.STREAM_MS ?? 3000), GAP = Number(process.env.GAP ?? 100), RUN = Number(process.env.RUN ?? 10000);
const STATUS = Number(process.env.STATUS ?? 500);
let seed = 7; const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
let planned = 0, aFails = 0;
const A = await upstream('A', async (q, s, { isDone }) => {
  if (rnd() < FAIL) { aFails++; s.writeHead(STATUS, { 'content-type': 'application/json' }); return void s.end('{"error":{"message":"boom","type":"server_error"}}'); }
  s.writeHead(200, { 'content-type': 'text/event-stream' });
  const t = Date.now();
  while (Date.now() - t < STREAM_MS && !isDone()) { s.write(chunk('a')); await sleep(200); }
  if (!isDone()) s.end(fin);
});
const B = await upstream('B', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(chunk('b') + fin); });
const router = node.createRouter({ endpoints: [{ name: 'A', baseUrl: A.url }, { name: 'B', baseUrl: B.url, priority: 1 }], rescue: 'off' });
const ev = []; const t0 = Date.now();
router.subscribe((e) => { if (e.type === 'breaker-change') ev.push(`${Date.now() - t0}ms ${e.endpoint} ${e.from}->${e.to}`); });
const sb = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] });
const served = { A: 0, B: 0 }; const jobs = [];
while (Date.now() - t0 < RUN) {
  jobs.push((async () => { const r = await router.send({ path: '/chat/completions', body: sb }); served[r.endpoint]++; try { for await (const _ of r.stream); } catch {} })());
  await sleep(GAP);
}
await Promise.all(jobs);
console.log(`FAIL=${FAIL} STATUS=${STATUS} STREAM_MS=${STREAM_MS}: ${jobs.length} streams; A hits ${A.hits} (pre-commit failures ${aFails}); served by A ${served.A}, by B ${served.B}`);
console.log('breaker changes:', ev.length ? ev.join('; ') : 'none');
A.close(); B.close(); process.exit(0);
