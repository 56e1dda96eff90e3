// 09: gateway (tracing "otlp"): a caller that leaves mid-stream (socket destroyed), 30 of them at once, and a stream
// still running when SIGTERM's grace (500 ms) runs out: are their spans ended, with what outcome, and exported?
import http from 'node:http';
import { upstream, stream, sleep } from './lib.mjs';
import { receiver, startGateway } from './gw.mjs';
const rec = await receiver();
const A = await upstream('A', (q, r, n, b) => stream(r, b?.model, { delay: 100, words: 100 }));
const GK = 'gk-0123456789abcdef';
const gw = await startGateway({ endpoints: [{ name: 'A', baseUrl: A.baseUrl, apiKey: 'sk-a' }], gatewayKeys: [GK], tracing: 'otlp', shutdownGraceMs: 500 }, { OTEL_EXPORTER_OTLP_ENDPOINT: rec.url });
const open = (tp) => new Promise((resolve) => {
  const req = http.request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json', traceparent: tp } }, (res) => { let n = 0; res.on('data', () => { if (++n === 3) resolve({ req, res }); }); res.on('error', () => {}); res.on('end', () => resolve({ req, res, ended: true })); });
  req.on('error', () => resolve({ req, error: true })); req.end(JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
});
const tid = (i, p) => `${p}${String(i).padStart(30, '0')}`;
const left = await Promise.all(Array.from({ length: 30 }, (_, i) => open(`00-${tid(i, 'aa')}-00f067aa0ba902b7-01`)));
for (const { req } of left) req.destroy();
await sleep(1500);
const leftSpans = rec.spans.filter((s) => s.traceId.startsWith('aa'));
const tally = (spans) => { const t = {}; for (const s of spans) { const k = `${s.kind === 1 ? 'request' : 'attempt'}:${s.attrs['detour.outcome'] ?? s.attrs['error.type'] ?? 'ok'}`; t[k] = (t[k] ?? 0) + 1; } return JSON.stringify(t); };
console.log(`30 callers left mid-stream: upstream requests ${A.hits.length}; spans exported ${leftSpans.length} ${tally(leftSpans)}`);
// A stream still flowing at SIGTERM (100 chunks x 100 ms), grace 500 ms.
const inflight = await open(`00-${tid(1, 'bb')}-00f067aa0ba902b7-01`);
let got = ''; inflight.res?.on('data', (c) => (got += c)); const resEnd = new Promise((r) => { inflight.res?.on('close', r); setTimeout(r, 5000); });
const t0 = Date.now(); const exit = await gw.stop(20000); await resEnd;
const bb = rec.spans.filter((s) => s.traceId.startsWith('bb'));
console.log(`stream cut by shutdown grace: gateway exit ${exit} after ${Date.now() - t0}ms; caller got ${got.length} bytes, last: ${JSON.stringify(got.slice(-120))}`);
console.log(`its spans exported: ${bb.length} ${tally(bb)} ${JSON.stringify(bb.map((s) => ({ kind: s.kind, status: s.status, durMs: Math.round(s.durMs) })))}`);
await rec.close(); await A.close();
