// An endpoint whose streams start well and are then cut (90% of them) never trips its breaker.
import { upstream, node, sleep } from './lib.mjs';
const chunk = (c) => `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${c}"},"finish_reason":null}]}\n\n`;
const fin = `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
const EVERY = Number(process.env.EVERY ?? 10); // one in EVERY streams completes
const RESCUE = process.env.RESCUE ?? 'off';
const A = await upstream('A', async (q, s) => {
  s.writeHead(200, { 'content-type': 'text/event-stream' });
  s.write(chunk('a')); await sleep(20); s.write(chunk('b')); await sleep(20);
  if (s._n = (A.hits % EVERY === 1)) return void s.end(fin);
  if (process.env.MODE === 'stall') return; // say nothing more: stalled after streamIdleTimeoutMs
  s.destroy();
});
const B = await upstream('B', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(chunk('a') + chunk('b') + chunk('c') + fin); });
const router = node.createRouter({ endpoints: [{ name: 'A', baseUrl: A.url }, { name: 'B', baseUrl: B.url, priority: 1 }], rescue: RESCUE, streamIdleTimeoutMs: 300, breaker: { failureRate: Number(process.env.FR ?? 0.5) } });
const ev = []; const t0 = Date.now();
router.subscribe((e) => { if (e.type === 'breaker-change') ev.push(`${Date.now() - t0}ms ${e.endpoint} ${e.from}->${e.to}`); });
const sb = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] });
let clean = 0, cut = 0; const N = Number(process.env.N ?? 60);
for (let i = 0; i < N; i++) {
  const r = await router.send({ path: '/chat/completions', body: sb });
  try { for await (const _ of r.stream); clean++; } catch (e) { cut++; }
}
console.log(`rescue=${RESCUE} failureRate=${process.env.FR ?? 0.5}: ${N} sequential streams; A got ${A.hits} (of which ${A.hits - Math.ceil(A.hits / EVERY)} cut mid-stream), B got ${B.hits}; caller saw ${clean} clean, ${cut} StreamInterruptedError`);
console.log('breaker changes:', ev.length ? ev.join('; ') : 'none');
console.log((await router.health()).map((h) => `${h.name}:${h.breaker}`).join(' '));
A.close(); B.close(); process.exit(0);
