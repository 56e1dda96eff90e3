// connections=1, upstream 1500 ms per answer, 4 concurrent requests with deadlineMs 2000: queued ones bounded? zombies?
import http from 'node:http';
import { node, mkClient, ask, watch, brief, completion, hardTimeout } from './lib.mjs';
hardTimeout(60000);
const st = { conns: 0, reqs: 0, closedEarly: 0 };
const srv = http.createServer((q, s) => { st.reqs++; q.resume(); s.on('close', () => { if (!s.writableEnded) st.closedEarly++; }); setTimeout(() => { const b = completion('u'); if (!s.destroyed) { s.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) }); s.end(b); } }, 1500); });
srv.on('connection', () => st.conns++);
await new Promise((r) => srv.listen(0, '127.0.0.1', r));
const fetch = node.createFetch({ agent: { connections: 1 }, deadlineMs: 2000, endpoints: [{ name: 'u', baseUrl: `http://127.0.0.1:${srv.address().port}/v1`, apiKey: 'k' }] }, { tracer: false });
const ev = watch(fetch.router); const client = mkClient(fetch);
const rs = await Promise.all(Array.from({ length: 4 }, (_, i) => ask(client, `#${i}`)));
for (const r of rs) console.log(JSON.stringify(r));
for (const e of ev) console.log('   ', brief(e));
console.log('server: conns', st.conns, 'reqs', st.reqs, 'closedEarly', st.closedEarly);
await new Promise((r) => setTimeout(r, 2500));
console.log('2.5 s later server: conns', st.conns, 'reqs', st.reqs, 'closedEarly', st.closedEarly);
console.log('health:', JSON.stringify((await fetch.router.health()).map((h) => ({ n: h.name, breaker: h.breaker }))));
await fetch.router.close(); process.exit(0);
