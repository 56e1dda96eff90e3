// 07: gateway in "auto" mode with the docs' production sampler (ParentBased(TraceIdRatio 0.01)). Callers choose
// whether their requests are traced: "-01" forces every request into the trace, "-00" hides every one.
import http from 'node:http';
import { upstream, ok, sleep } from './lib.mjs';
import { receiver, startGateway } from './gw.mjs';
const rec = await receiver();
const A = await upstream('A', (q, r, n, b) => ok(r, b?.model));
const GK = 'gk-0123456789abcdef';
const gw = await startGateway({ endpoints: [{ name: 'A', baseUrl: A.baseUrl, apiKey: 'sk-a' }], gatewayKeys: [GK] }, { OTEL_EXPORTER_OTLP_ENDPOINT: rec.url }, ['--import', '/tmp/attack21b/docs/attacks/tracing/otel-ratio-sampler.mjs']);
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
const post = (headers) => new Promise((resolve) => { const req = http.request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json', ...headers } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }); req.end(JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] })); });
for (const [label, mk] of [['no traceparent', () => ({})], ['traceparent ...-01 (caller says sampled)', () => ({ traceparent: `00-${hex(32)}-${hex(16)}-01` })], ['traceparent ...-00 (caller says not sampled)', () => ({ traceparent: `00-${hex(32)}-${hex(16)}-00` })]]) {
  const before = rec.spans.length; const codes = {};
  for (let i = 0; i < 200; i++) { const c = await post(mk()); codes[c] = (codes[c] ?? 0) + 1; }
  await sleep(800);
  const reqSpans = rec.spans.slice(before).filter((s) => s.kind === 1).length;
  console.log(`${label}: 200 requests (HTTP ${JSON.stringify(codes)}) -> ${reqSpans} request spans exported`);
}
console.log('gateway exit', await gw.stop());
await rec.close(); await A.close();
