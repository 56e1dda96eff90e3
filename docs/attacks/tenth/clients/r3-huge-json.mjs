// Non-stream JSON answers around maxResponseBytes (64 MiB), through the gateway.
import { upstream, gateway, writeBP, sleep, now, MB } from './lib.mjs';
const SIZE_MB = Number(process.env.SIZE_MB ?? 80);
const mk = (name) => upstream(async (req, res, body, e) => {
  const pad = 'y'.repeat(1048576);
  res.writeHead(200, { 'content-type': 'application/json', ...(process.env.CL ? { 'content-length': String(SIZE_MB * 1048576 + 200) } : {}) });
  await writeBP(res, `{"id":"x","object":"chat.completion","created":1,"model":"gpt-4.1-mini","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"`, e);
  for (let i = 0; i < SIZE_MB; i++) if (!(await writeBP(res, pad, e))) return;
  res.end(`"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`);
});
const a = await mk('a'), b = await mk('b');
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: a.url }, { name: 'b', baseUrl: b.url }] });
console.log('rss start', MB(gw.rss()));
let peak = 0, peakHeap = 0; const iv = setInterval(() => { try { peak = Math.max(peak, gw.rss()); } catch {} }, 50);
const ivh = setInterval(async () => { try { const t = await (await fetch(gw.url + '/metrics')).text(); peakHeap = Math.max(peakHeap, Number(t.match(/^nodejs_heap_size_used_bytes (\S+)/m)[1])); } catch {} }, 100);
const t0 = now();
const r = await fetch(gw.url + '/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer gk', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }) });
const text = await r.text();
console.log('status', r.status, 'ms', Math.round(now() - t0), 'len', MB(text.length), 'x-detour-error', r.headers.get('x-detour-error'), 'attempts', r.headers.get('x-detour-attempts'));
console.log('body head:', text.slice(0, 400));
console.log('upstream a reqs', a.log.map((e) => MB(e.written) + (e.closed ? ' closed@' + Math.round(e.closed - e.start) : '')), 'b reqs', b.log.map((e) => MB(e.written)));
clearInterval(ivh); console.log('peak heapUsed', MB(peakHeap)); console.log('peak rss', MB(peak), 'rss now', MB(gw.rss()));
clearInterval(iv); gw.stop(); a.close(); b.close(); process.exit(0);
