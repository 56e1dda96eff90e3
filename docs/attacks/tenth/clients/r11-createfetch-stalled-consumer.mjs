// createFetch + openai SDK: consumer stops iterating a fast, large stream. Upstream back-pressured? memory? abandoned?
import OpenAI from '/tmp/attack10b/repo/packages/node/node_modules/openai/index.mjs';
import { createFetch } from '/tmp/attack10b/repo/packages/node/dist/index.js';
import { upstream, writeBP, chatChunk, chatDone, sleep, now, MB } from './lib.mjs';
const up = await upstream(async (req, res, body, e) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const piece = chatChunk('x'.repeat(8000));
  while (e.written < 50 * 1048576) { if (!(await writeBP(res, piece, e))) return; }
  res.end(chatDone());
});
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'k' }], streamIdleTimeoutMs: 4000 });
const evs = []; fetch.router.subscribe((ev) => { if (ev.type === 'request-end') evs.push(ev); });
const client = new OpenAI({ apiKey: 'x', fetch });
const N = Number(process.env.N ?? 5);
global.gc?.(); const m0 = process.memoryUsage();
const iters = [];
for (let i = 0; i < N; i++) {
  const s = await client.chat.completions.create({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  const it = s[Symbol.asyncIterator](); for (let k = 0; k < 3; k++) await it.next(); iters.push(it);
}
const t0 = now();
for (let t = 0; t < 7; t++) { await sleep(1000); global.gc?.(); const m = process.memoryUsage();
  console.log(`t=${t + 1}s upstreamWritten=${MB(up.log.reduce((a, e) => a + e.written, 0))} closed=${up.log.filter((e) => e.closed).length}/${up.log.length} heapUsed=${MB(m.heapUsed)} arrayBuffers=${MB(m.arrayBuffers)} rss=${MB(m.rss)}`); }
try { const r = await iters[0].next(); console.log('resumed iterator 0 ->', r.done ? 'done' : 'value'); let n = 0; while (!(await iters[0].next()).done) n++; console.log('read', n, 'more chunks, ended cleanly'); } catch (e) { console.log('resumed iterator threw', e.constructor.name, String(e.message).slice(0, 200)); }
console.log('request-end:', evs.map((e) => JSON.stringify(e).slice(0, 160)));
up.close(); process.exit(0);
