// N distinct caller model names (with rate-limit headers and some 429s) -> heap, /metrics, /healthz, /admin/state sizes.
import { upstream, gateway, chat, admin } from './lib.mjs';
let n = 0;
const u = await upstream((req, body, res) => {
  n++;
  let model = 'x'; try { model = JSON.parse(body).model; } catch {}
  const rl = { 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': String(9000 - (n % 100)), 'x-ratelimit-reset-requests': '20s', 'x-ratelimit-limit-tokens': '1000000', 'x-ratelimit-remaining-tokens': '900000', 'x-ratelimit-reset-tokens': '6m0s' };
  if (n % 5 === 0) { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '600', ...rl }); return res.end(JSON.stringify({ error: { message: `Rate limit reached for ${model}`, type: 'requests', code: 'rate_limit_exceeded' } })); }
  res.writeHead(200, { 'content-type': 'application/json', ...rl });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
});
const u2 = await upstream((req, body, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } })); });
const gw = await gateway([u, u2]);
const N = Number(process.env.N ?? 40000), C = 16;
const snap = async (label) => {
  global.gc(); global.gc();
  const m = await (await fetch(gw.url + '/metrics')).text();
  const h = await (await fetch(gw.url + '/healthz')).text();
  const s0 = Date.now(); const a = await (await admin(gw, '/admin/state')).text(); const sms = Date.now() - s0;
  const c = await (await admin(gw, '/admin/costs?window=24h')).text();
  global.gc();
  console.log(label, 'heapMB', (process.memoryUsage().heapUsed / 1e6).toFixed(1), 'rssMB', (process.memoryUsage().rss / 1e6).toFixed(0), 'metricsB', m.length, 'series', m.split('\n').filter((l) => l && !l.startsWith('#')).length, 'healthzB', h.length, 'stateB', a.length, 'stateMs', sms, 'costsB', c.length);
};
await snap('start');
let next = 0;
const worker = async () => { while (next < N) { const i = next++; const r = await chat(gw, `model-${i}-${'z'.repeat(60)}`); await r.arrayBuffer(); } };
const t0 = Date.now();
for (const frac of [0.25, 0.5, 0.75, 1]) {
  const stop = Math.floor(N * frac);
  await Promise.all(Array.from({ length: C }, async () => { while (next < stop) { const i = next++; const r = await chat(gw, `model-${i}-${'z'.repeat(60)}`); await r.arrayBuffer(); } }));
  await snap(`after ${stop} (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
}
await gw.close(100); await u.close(); await u2.close();
