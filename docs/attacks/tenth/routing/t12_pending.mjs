import { upstream, node, sleep, send200, sendStatus } from './lib.mjs';
const chunk = (c) => `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${c}"},"finish_reason":null}]}\n\n`;
const fin = `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
let beh = 'stream';
const A = await upstream('A', async (q, s) => {
  if (beh === 'stream') { s.writeHead(200, { 'content-type': 'text/event-stream' }); for (let i = 0; i < 50 && !s.destroyed; i++) { s.write(chunk('a')); await sleep(30); } if (!s.destroyed) s.end(fin); return; }
  if (beh === 'cut') { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.write(chunk('a')); await sleep(50); return s.destroy(); }
  if (beh === 'drip') { s.writeHead(200, { 'content-type': 'application/json' }); for (let i = 0; i < 50 && !s.destroyed; i++) { s.write(' '); await sleep(50); } if (!s.destroyed) s.end('{}'); return; }
  if (beh === 'hang') return;
});
const B = await upstream('B', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(chunk('a') + fin); });
const router = node.createRouter({ selection: 'latency', endpoints: [{ name: 'A', baseUrl: A.url }, { name: 'B', baseUrl: B.url, priority: 1 }], deadlineMs: 1000, streamIdleTimeoutMs: 500 });
const sb = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] });
const jb = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
const pend = async () => (await router.health()).map((h) => `${h.name}.pending=${h.pending}`).join(' ');
const cases = {
  'stream cancel()': async () => { beh = 'stream'; const r = await router.send({ path: '/chat/completions', body: sb }); const it = r.stream; await it.next(); r.cancel(); },
  'stream break': async () => { beh = 'stream'; const r = await router.send({ path: '/chat/completions', body: sb }); for await (const _ of r.stream) break; },
  'stream abandoned (never read)': async () => { beh = 'stream'; await router.send({ path: '/chat/completions', body: sb }); },
  'stream abort signal mid': async () => { beh = 'stream'; const ac = new AbortController(); const r = await router.send({ path: '/chat/completions', body: sb, signal: ac.signal }); await r.stream.next(); ac.abort(); try { for await (const _ of r.stream); } catch {} },
  'stream cut, rescued': async () => { beh = 'cut'; const r = await router.send({ path: '/chat/completions', body: sb }); try { for await (const _ of r.stream); } catch {} },
  'json drip, caller abort': async () => { beh = 'drip'; const ac = new AbortController(); setTimeout(() => ac.abort(), 200); try { await router.send({ path: '/chat/completions', body: jb, signal: ac.signal }); } catch {} },
  'json hang, deadline': async () => { beh = 'hang'; try { await router.send({ path: '/chat/completions', body: jb }); } catch {} },
  'stream never-read, iterator return before next': async () => { beh = 'stream'; const r = await router.send({ path: '/chat/completions', body: sb }); await r.stream.return?.(); },
};
for (const [name, fn] of Object.entries(cases)) { await fn(); await sleep(900); console.log(name.padEnd(48), await pend(), `A open reqs ${A.inflight}`); }
A.close(); B.close(); process.exit(0);
