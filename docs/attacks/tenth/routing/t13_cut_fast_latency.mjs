// selection: latency — an endpoint whose streams start fast and are then cut (all of them) looks cheapest and keeps its traffic.
import { upstream, node, sleep } from './lib.mjs';
const chunk = (c) => `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${c}"},"finish_reason":null}]}\n\n`;
const fin = `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
const cutter = await upstream('cutter', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.write(chunk('a')); await sleep(30); if (cutter.hits % 10 === 1) return void s.end(fin); s.destroy(); });
const good = await upstream('good', async (q, s) => { await sleep(60); s.writeHead(200, { 'content-type': 'text/event-stream' }); s.write(chunk('a')); await sleep(30); s.end(fin); });
const router = node.createRouter({ selection: 'latency', endpoints: [{ name: 'cutter', baseUrl: cutter.url }, { name: 'good', baseUrl: good.url }] });
let brk = 0; router.subscribe((e) => { if (e.type === 'breaker-change') brk++; });
const sb = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] });
let firstOn = { cutter: 0, good: 0 }, rescued = 0, failed = 0; const N = 150;
for (let i = 0; i < N; i++) { const r = await router.send({ path: '/chat/completions', body: sb }); firstOn[r.endpoint]++; try { for await (const _ of r.stream); } catch (e) { if (!failed) console.log("first failure:", e.code, String(e.message).slice(0, 300)); failed++; } }
console.log(`${N} sequential streams, selection=latency, default rescue: first attempt on cutter ${firstOn.cutter}, on good ${firstOn.good}; upstream hits cutter=${cutter.hits} good=${good.hits}; caller failures ${failed}; breaker changes ${brk}`);
console.log((await router.health()).map((h) => `${h.name}:${h.breaker}`).join(' '));
cutter.close(); good.close(); process.exit(0);
