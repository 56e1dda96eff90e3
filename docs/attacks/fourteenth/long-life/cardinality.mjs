// Drives the in-process gateway with N requests, each with caller-chosen strings made distinct, and prints heap
// (after GC), /metrics, /healthz, /admin/state sizes and times at checkpoints. MODE: models | responses | headers | all.
// N (default 200000), C concurrency (32), MAXSEC wall bound (240). Run: node --expose-gc cardinality.mjs
import { upstream, gateway, GK, admin, heapMB } from './lib.mjs';
const MODE = process.env.MODE ?? 'all';
const N = Number(process.env.N ?? 200000), C = Number(process.env.C ?? 32), MAXSEC = Number(process.env.MAXSEC ?? 240);
let n = 0;
const rl = (i) => ({ 'x-ratelimit-limit-requests': '100000', 'x-ratelimit-remaining-requests': String(90000 - (i % 1000)), 'x-ratelimit-reset-requests': '20s', 'x-ratelimit-limit-tokens': '10000000', 'x-ratelimit-remaining-tokens': '9000000', 'x-ratelimit-reset-tokens': '6m0s' });
const handler = (tag) => (req, body, res) => {
  const i = n++;
  let model = 'x'; try { model = JSON.parse(body).model ?? 'x'; } catch {}
  if (req.method === 'GET') { res.writeHead(200, { 'content-type': 'application/json' }); return res.end(JSON.stringify({ id: req.url.split('/').pop(), object: 'response', status: 'completed', model: 'gpt-4.1', output: [], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } })); }
  if (tag === 'A' && i % 4 === 0) { res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '600', ...rl(i) }); return res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } })); }
  if (req.url.includes('/responses')) {
    res.writeHead(200, { 'content-type': 'application/json', ...rl(i) });
    return res.end(JSON.stringify({ id: `resp_${tag}${i}_${'q'.repeat(40)}`, object: 'response', status: 'completed', model, output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] }], usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 } }));
  }
  res.writeHead(200, { 'content-type': 'application/json', ...rl(i) });
  res.end(JSON.stringify({ id: `chatcmpl-${i}`, object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
};
const a = await upstream(handler('A')), b = await upstream(handler('B'));
const gw = await gateway([a, b], { endpoints: [{ storage: 'orgA' }, { storage: 'orgB' }], router: { fallbacks: { 'gpt-4.1-mini': { contextLength: 'gpt-4.1' } } } });
const pad = (i, len) => `${i}-`.padEnd(len, 'z');
const send = (i) => {
  const kind = MODE === 'all' ? ['models', 'responses', 'headers'][i % 3] : MODE;
  const headers = { authorization: `Bearer ${GK}`, 'content-type': 'application/json' };
  if (kind === 'models') return fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: `m-${pad(i, 250)}`, messages: [{ role: 'user', content: 'hi' }] }) });
  if (kind === 'responses') {
    if (i % 2) return fetch(`${gw.url}/v1/responses/resp_${pad(i, 100)}`, { headers });
    return fetch(`${gw.url}/v1/responses`, { method: 'POST', headers, body: JSON.stringify({ model: 'gpt-4.1', input: 'hi', store: true, previous_response_id: `resp_${pad(i, 100)}` }) });
  }
  return fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { ...headers, 'x-detour-priority': `p${i}`, 'x-request-id': `req-${pad(i, 200)}`, traceparent: `00-${i.toString(16).padStart(32, '1')}-${i.toString(16).padStart(16, '2')}-01`, tracestate: `k${i}=v${i}`, 'openai-organization': `org-${i}`, 'x-stainless-foo': pad(i, 200) }, body: JSON.stringify({ model: i % 2 ? 'gpt-4.1' : 'gpt-4.1-mini', user: pad(i, 200), metadata: { k: pad(i, 200) }, messages: [{ role: 'user', content: 'hi' }] }) });
};
const statuses = {};
const snap = async (label) => {
  const t0 = performance.now(); const m = await (await fetch(gw.url + '/metrics')).text(); const mMs = performance.now() - t0;
  const h = await (await fetch(gw.url + '/healthz')).text();
  const t1 = performance.now(); const s = await (await admin(gw, '/admin/state')).text(); const sMs = performance.now() - t1;
  const c = await (await admin(gw, '/admin/costs?window=24h')).text();
  console.log(label, 'heapMB', heapMB(), 'rssMB', (process.memoryUsage().rss / 1e6).toFixed(0), 'metricsB', m.length, `(${mMs.toFixed(0)}ms)`, 'series', m.split('\n').filter((l) => l && !l.startsWith('#')).length, 'healthzB', h.length, 'stateB', s.length, `(${sMs.toFixed(0)}ms)`, 'costsB', c.length, JSON.stringify(statuses));
};
await snap('start');
const t0 = Date.now();
let next = 0;
const steps = 8;
for (let k = 1; k <= steps; k++) {
  const stop = Math.floor((N * k) / steps);
  await Promise.all(Array.from({ length: C }, async () => { while (next < stop && (Date.now() - t0) / 1000 < MAXSEC) { const i = next++; const r = await send(i); statuses[r.status] = (statuses[r.status] ?? 0) + 1; await r.arrayBuffer(); } }));
  await snap(`after ${next} (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
  if ((Date.now() - t0) / 1000 >= MAXSEC) break;
}
await gw.close(100); await a.close(); await b.close();
process.exit(0);
