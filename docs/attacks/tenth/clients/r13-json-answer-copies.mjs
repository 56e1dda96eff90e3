// createFetch: memory for one 60 MB non-stream JSON answer (under maxResponseBytes). How many copies?
import { createFetch } from '/tmp/attack10b/repo/packages/node/dist/index.js';
import { upstream, writeBP, sleep, now, MB } from './lib.mjs';
const SIZE_MB = Number(process.env.SIZE_MB ?? 60);
const up = await upstream(async (req, res, body, e) => {
  const pad = 'y'.repeat(1048576);
  res.writeHead(200, { 'content-type': 'application/json' });
  await writeBP(res, `{"id":"x","object":"chat.completion","created":1,"model":"gpt-4.1-mini","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"`, e);
  for (let i = 0; i < SIZE_MB; i++) if (!(await writeBP(res, pad, e))) return;
  res.end(`"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`);
});
const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'k' }] });
global.gc(); const m0 = process.memoryUsage();
let peak = { rss: 0, heapUsed: 0, arrayBuffers: 0 };
const iv = setInterval(() => { const m = process.memoryUsage(); for (const k in peak) peak[k] = Math.max(peak[k], m[k]); }, 5);
const t0 = now();
const r = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }) });
const t1 = now(); const ab = await r.arrayBuffer();
clearInterval(iv);
console.log('status', r.status, 'len', MB(ab.byteLength), 'headers after', Math.round(t1 - t0), 'ms', 'cost', r.headers.get('x-detour-cost-usd'));
console.log('baseline', Object.fromEntries(Object.keys(peak).map((k) => [k, MB(m0[k])])), 'peak', Object.fromEntries(Object.keys(peak).map((k) => [k, MB(peak[k])])));
up.close(); process.exit(0);
