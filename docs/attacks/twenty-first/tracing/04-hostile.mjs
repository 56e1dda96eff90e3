// 04: hostile input through the gateway (tracing "otlp"): odd model names, malformed/huge traceparent and tracestate,
// sampled-flag games, refused requests; what is exported; what the upstream receives as trace headers.
import http from 'node:http';
import { upstream, ok, sleep } from './lib.mjs';
import { receiver, startGateway } from './gw.mjs';
const rec = await receiver();
const seenHeaders = [];
const A = await upstream('A', (q, r, n, b) => { seenHeaders.push({ traceparent: q.headers.traceparent, tracestate: q.headers.tracestate?.slice(0, 80), baggage: q.headers.baggage }); ok(r, b?.model); });
const GK = 'gk-SECRET-GATEWAY-KEY-0123456789';
const gw = await startGateway({ endpoints: [{ name: 'A', baseUrl: A.baseUrl, apiKey: 'sk-A-UPSTREAMKEY-0123456789abcdef' }], gatewayKeys: [GK], tracing: 'otlp', maxBodyBytes: 20000 },
  { OTEL_EXPORTER_OTLP_ENDPOINT: rec.url });
const T = '4bf92f3577b34da6a3ce929b0e0e4736', P = '00f067aa0ba902b7';
const post = (body, headers = {}, raw) => new Promise((resolve) => {
  const data = raw ?? JSON.stringify(body);
  const req = http.request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json', ...headers } }, (res) => {
    let t = ''; res.on('data', (c) => (t += c)); res.on('end', () => resolve({ status: res.statusCode, body: t.slice(0, 160) }));
  });
  req.on('error', (e) => resolve({ status: 'ERR ' + e.message })); req.end(data);
});
const cases = [
  ['baseline, traceparent sampled', { model: 'gpt-4.1' }, { traceparent: `00-${T}-${P}-01` }],
  ['model __proto__', { model: '__proto__' }, {}],
  ['model constructor', { model: 'constructor' }, {}],
  ['model 10KB', { model: 'm'.repeat(10240) }, {}],
  ['model with newline+key', { model: 'gpt\nsk-proj-abcdefghijklmnopqrstuvwxyz0123456789' }, {}],
  ['traceparent unsampled 00', { model: 'gpt-4.1' }, { traceparent: `00-${T.replace('4b', '11')}-${P}-00` }],
  ['traceparent flags ff', { model: 'gpt-4.1' }, { traceparent: `00-${T.replace('4b', '22')}-${P}-ff` }],
  ['traceparent version ff (invalid)', { model: 'gpt-4.1' }, { traceparent: `ff-${T.replace('4b', '33')}-${P}-01` }],
  ['traceparent all-zero trace id', { model: 'gpt-4.1' }, { traceparent: `00-${'0'.repeat(32)}-${P}-01` }],
  ['traceparent garbage', { model: 'gpt-4.1' }, { traceparent: 'zzzz' }],
  ['traceparent 8KB', { model: 'gpt-4.1' }, { traceparent: `00-${T.replace('4b', '44')}-${P}-01-${'x'.repeat(8000)}` }],
  ['traceparent future version 01 with extra field', { model: 'gpt-4.1' }, { traceparent: `01-${T.replace('4b', '55')}-${P}-01-extra` }],
  ['tracestate 6KB, 300 members', { model: 'gpt-4.1' }, { traceparent: `00-${T.replace('4b', '66')}-${P}-01`, tracestate: Array.from({ length: 300 }, (_, i) => `k${i}=v${'x'.repeat(15)}`).join(',') }],
  ['tracestate with key-like value', { model: 'gpt-4.1' }, { traceparent: `00-${T.replace('4b', '77')}-${P}-01`, tracestate: 'vendor=sk-proj-abcdefghijklmnopqrstuvwxyz0123' }],
  ['baggage header', { model: 'gpt-4.1' }, { traceparent: `00-${T.replace('4b', '88')}-${P}-01`, baggage: 'user=alice,secret=sk-proj-abcdefghijklmnopqrstuvwxyz0123' }],
];
for (const [label, body, headers] of cases) {
  const before = rec.spans.length; const beforeHits = A.hits.length;
  const r = await post({ ...body, messages: [{ role: 'user', content: 'PROMPT-TEXT' }] }, headers);
  await sleep(500);
  const spans = rec.spans.slice(before);
  console.log(`\n== ${label}: HTTP ${r.status} ${r.status !== 200 ? r.body : ''} | upstream hits +${A.hits.length - beforeHits} | spans +${spans.length}`);
  for (const s of spans) console.log(`   kind ${s.kind} name(len ${s.name.length})=${JSON.stringify(s.name.slice(0, 60))} trace=${s.traceId} parent=${s.parent || '-'} traceState=${JSON.stringify((s.traceState ?? '').slice(0, 60))} req.model(len)=${String(s.attrs['gen_ai.request.model']).length}`);
  const h = seenHeaders.at(-1); if (A.hits.length > beforeHits) console.log(`   upstream got traceparent=${h.traceparent} tracestate=${h.tracestate} baggage=${h.baggage}`);
}
// Refused before any attempt: unauthenticated, too large, not JSON
for (const [label, headers, raw] of [
  ['no gateway key', { authorization: 'Bearer nope', traceparent: `00-${T.replace('4b', '99')}-${P}-01` }],
  ['body too large (30KB > maxBodyBytes 20000)', { traceparent: `00-${T.replace('4b', 'aa')}-${P}-01` }, JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(30000) }] })],
  ['invalid JSON', { traceparent: `00-${T.replace('4b', 'bb')}-${P}-01` }, '{"model":'],
]) {
  const before = rec.spans.length;
  const r = await post(undefined, headers, raw ?? JSON.stringify({ model: 'gpt-4.1', messages: [] }));
  await sleep(400);
  console.log(`\n== refused: ${label}: HTTP ${r.status} ${r.body} | spans +${rec.spans.length - before}`);
}
const names = new Set(rec.spans.map((s) => s.name));
console.log(`\ndistinct span names: ${names.size}; longest ${Math.max(...[...names].map((n) => n.length))} chars`);
const all = rec.raw.join('\n');
console.log('collector payload contains sk-proj key from model name:', all.includes('sk-proj-abcdefghijklmnopqrstuvwxyz0123456789'), '| from tracestate:', all.includes('vendor=sk-proj'), '| prompt:', all.includes('PROMPT-TEXT'), '| gateway key:', all.includes(GK));
console.log('gateway exit', await gw.stop());
await rec.close(); await A.close();
