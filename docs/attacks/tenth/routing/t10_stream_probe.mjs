import { upstream, node, sleep, send200, sendStatus } from './lib.mjs';
let mode = 'fail';
const chunk = (c) => `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${c}"},"finish_reason":null}]}\n\n`;
const END = process.env.END ?? 'clean';
const A = await upstream('A', async (q, s) => {
  if (mode === 'fail') return sendStatus(s, 500);
  s.writeHead(200, { 'content-type': 'text/event-stream' });
  for (let i = 0; i < 30 && !s.destroyed; i++) { s.write(chunk('a')); await sleep(100); }
  if (END === 'cut') return s.destroy();
  s.end(`data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`);
});
const B = await upstream('B', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(chunk('b') + `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`); });
const router = node.createRouter({ endpoints: [{ name: 'A', baseUrl: A.url }, { name: 'B', baseUrl: B.url, priority: 1 }], breaker: { openMs: 1000 }, rescue: 'off' });
const t0 = Date.now(); const ev = [];
router.subscribe((e) => { if (e.type === 'breaker-change') ev.push(`${Date.now() - t0} ${e.endpoint} ${e.from}->${e.to}`); });
const sb = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] });
for (let i = 0; i < 6; i++) { const r = await router.send({ path: '/chat/completions', body: sb }); for await (const _ of r.stream); }
await sleep(1100); mode = 'ok';
const probe = (async () => { const r = await router.send({ path: '/chat/completions', body: sb }); let n = 0; try { for await (const _ of r.stream) n++; } catch (e) { return `${r.endpoint} ${n} chunks then ${e.code}`; } return `${r.endpoint} ${n} chunks clean at ${Date.now() - t0}`; })();
const during = [];
for (let i = 0; i < 10; i++) { await sleep(400); const r = await router.send({ path: '/chat/completions', body: sb }); for await (const _ of r.stream); during.push(`${Date.now() - t0}:${r.endpoint}`); }
console.log('probe:', await probe);
console.log('requests while probe streams:', during.join(' '));
console.log('A hits', A.hits, (await router.health()).map((h) => `${h.name}:${h.breaker}`).join(' '));
console.log(ev.join('\n'));
A.close(); B.close(); process.exit(0);
