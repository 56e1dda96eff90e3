// A tiny OTLP/HTTP sink: prints each span (name, kind, key attributes) posted to /v1/traces (JSON or protobuf noted)
import http from 'node:http';
const server = http.createServer((req, res) => { const chunks = []; req.on('data', (c) => chunks.push(c)); req.on('end', () => {
  const body = Buffer.concat(chunks); const ct = req.headers['content-type'];
  if (String(ct).includes('json')) { const j = JSON.parse(body); for (const rs of j.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) {
    const a = Object.fromEntries((s.attributes ?? []).map((x) => [x.key, Object.values(x.value)[0]]));
    console.log('SPAN', JSON.stringify(s.name), 'kind', s.kind, 'parent', s.parentSpanId ? 'yes' : 'no', JSON.stringify({ 'error.type': a['error.type'], kind: a['detour.attempt.kind'], reason: a['detour.failover.reason'], provider: a['gen_ai.provider.name'], ep: a['detour.endpoint'] })); } }
  else console.log('POST', req.url, ct, body.length, 'bytes');
  res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); }); });
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => console.log('sink on', server.address().port));
setTimeout(() => server.close(), Number(process.argv[3] ?? 30000)).unref();
setTimeout(() => process.exit(0), Number(process.argv[3] ?? 30000));
