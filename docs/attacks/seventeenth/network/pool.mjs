// agent.connections caps the pool per origin: are local queue waits charged to the endpoint (timeouts, breaker, failover)?
import http from 'node:http';
import { node, mkClient, ask, watch, brief, completion, hardTimeout } from './lib.mjs';
hardTimeout(80000);
const mk = (tag, delay) => { const st = { conns: 0, reqs: 0, maxActive: 0, active: 0 }; const srv = http.createServer((q, s) => { st.reqs++; st.active++; st.maxActive = Math.max(st.maxActive, st.active); q.resume(); setTimeout(() => { st.active--; const b = completion(tag); s.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) }); s.end(b); }, delay); }); srv.on('connection', () => st.conns++); return new Promise((r) => srv.listen(0, '127.0.0.1', () => r({ port: srv.address().port, st }))); };
const primary = await mk('primary', 700), backup = await mk('paid-backup', 50);
const fetch = node.createFetch({ agent: { connections: 2 }, firstByteTimeoutMs: 2000, endpoints: [
  { name: 'primary', baseUrl: `http://127.0.0.1:${primary.port}/v1`, apiKey: 'k', priority: 0 },
  { name: 'backup', baseUrl: `http://127.0.0.1:${backup.port}/v1`, apiKey: 'k', priority: 1 }] }, { tracer: false });
const ev = watch(fetch.router); const client = mkClient(fetch);
const t0 = Date.now();
const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => ask(client, `#${i}`)));
console.log(`burst of 12, connections=2, primary answers each in 700 ms (healthy), firstByteTimeoutMs=2000: ${Date.now() - t0} ms`);
console.log('served by:', rs.map((r) => r.ok ? r.content.replace('hi from ', '') : 'ERR').join(','));
console.log('primary max concurrent at server:', primary.st.maxActive, 'primary reqs', primary.st.reqs, '| backup reqs', backup.st.reqs);
const fails = ev.filter((e) => e.type === 'attempt-end' && e.kind !== 'success');
console.log('failed attempts on primary:', fails.length, [...new Set(fails.map((e) => e.reason))]);
console.log('breaker:', ev.filter((e) => e.type === 'breaker-change').map(brief).join('; ') || 'none');
// after: zombies? sequential requests, count new connections
const c0 = primary.st.conns; await new Promise((r) => setTimeout(r, 3000));
for (let i = 0; i < 4; i++) await ask(client, 'after');
console.log('primary conns total', primary.st.conns, '(new during 4 sequential after-burst requests+wait:', primary.st.conns - c0, ') reqs', primary.st.reqs);
console.log('health:', JSON.stringify((await fetch.router.health()).map((h) => ({ n: h.name, breaker: h.breaker }))));
await fetch.router.close(); process.exit(0);
