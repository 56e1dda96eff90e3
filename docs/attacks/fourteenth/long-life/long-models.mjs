// createFetch (@detour/node, no gateway in front) with caller-chosen model names of LEN characters (default 100,000):
// N distinct names (default 2,000), a quarter answered 429 (model cooldowns), every answer with rate-limit headers
// (admission's per-model buckets). Heap after GC at checkpoints: the per-model caches are capped in count, not length.
import { createFetch as nodeCreateFetch } from '/tmp/attack14b/packages/node/dist/index.js';
import { createFetch as edgeCreateFetch } from '/tmp/attack14b/packages/edge/dist/index.js';
// PKG=edge: @detour/edge's createFetch (global fetch transport) instead of @detour/node's.
const createFetch = process.env.PKG === 'edge' ? edgeCreateFetch : nodeCreateFetch;
import { upstream, heapMB } from './lib.mjs';
const LEN = Number(process.env.LEN ?? 100_000), N = Number(process.env.N ?? 2000), C = 8;
let n = 0;
const handler = (req, body, res) => {
  const i = n++;
  const rl = { 'x-ratelimit-limit-requests': '100000', 'x-ratelimit-remaining-requests': '90000', 'x-ratelimit-reset-requests': '20s' };
  if (i % 4 === 0) { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '600', ...rl }); return res.end('{"error":{"message":"Rate limit","type":"requests","code":"rate_limit_exceeded"}}'); }
  res.writeHead(200, { 'content-type': 'application/json', ...rl });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
};
const a = await upstream(handler), b = await upstream(handler);
const fetch2 = createFetch({ ...(process.env.ADM === '0' ? { admission: { enabled: false } } : {}), endpoints: [{ name: 'a', baseUrl: a.url, apiKey: 'sk-a0123456789', priority: 0 }, { name: 'b', baseUrl: b.url, apiKey: 'sk-b0123456789', priority: 1 }] });
console.log('start heapMB', heapMB(), 'model name length', LEN);
let next = 0; const statuses = {};
for (let k = 1; k <= 4; k++) {
  const stop = Math.floor((N * k) / 4);
  await Promise.all(Array.from({ length: C }, async () => { while (next < stop) { const i = next++; const model = `${i}-`.padEnd(LEN, 'z'); const r = await fetch2('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) }); statuses[r.status] = (statuses[r.status] ?? 0) + 1; await r.arrayBuffer(); } }));
  console.log(`after ${next} distinct names (${(next * LEN / 1e6).toFixed(0)} MB of names sent): heapMB`, heapMB(), 'rssMB', (process.memoryUsage().rss / 1e6).toFixed(0), JSON.stringify(statuses));
}
await a.close(); await b.close();
process.exit(0);
