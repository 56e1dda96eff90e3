// A provider edge that refuses a large body early: answers 413 as soon as it sees the headers, then closes
// without reading the body (Cloudflare/nginx client_max_body_size behaviour). Does Detour see the 413 (request_too_large,
// neutral) or a network error (retry on same, breaker failure)?
import net from 'node:net'; import tls from 'node:tls';
import { node, C, startHttp, mkClient, watch, brief, hardTimeout } from './lib.mjs';
hardTimeout(60000);
const mode = process.argv[2] ?? 'tls';
const stats = { conns: 0 };
const onConn = (s) => {
  stats.conns++; s.on('error', () => {}); let head = '';
  s.on('data', (d) => {
    if (head === null) return; head += d.toString('latin1');
    if (head.includes('\r\n\r\n')) {
      head = null;
      const b = JSON.stringify({ error: { message: 'Request body too large', type: 'invalid_request_error', code: 'request_too_large' } });
      s.write(`HTTP/1.1 413 Payload Too Large\r\ncontent-type: application/json\r\ncontent-length: ${b.length}\r\nconnection: close\r\n\r\n${b}`);
      setTimeout(() => (s.encrypted ? s.destroy() : s.resetAndDestroy()), 20); // close without draining the body
    }
  });
};
const srv = mode === 'tls' ? tls.createServer({ key: C('good.key'), cert: C('good.crt') }, onConn) : net.createServer(onConn);
await new Promise((r) => srv.listen(0, '127.0.0.1', r));
const bStats = {}; const backup = await startHttp('backup-bigger-limit', bStats);
const fetch = node.createFetch({ endpoints: [
  { name: 'edge', baseUrl: `${mode === 'tls' ? 'https://localhost' : 'http://127.0.0.1'}:${srv.address().port}/v1`, apiKey: 'k', priority: 0 },
  { name: 'backup', baseUrl: `http://127.0.0.1:${backup.port}/v1`, apiKey: 'k', priority: 1 } ] }, { tracer: false });
const ev = watch(fetch.router); const client = mkClient(fetch);
const big = 'x'.repeat(8 * 1024 * 1024);
for (let i = 0; i < 6; i++) {
  const t = Date.now();
  try { const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: big }] }); console.log(`#${i} ok ${Date.now() - t}ms`, r.choices[0].message.content); }
  catch (e) { console.log(`#${i} ERR ${Date.now() - t}ms`, e.status, String(e.message).slice(0, 200)); }
}
for (const e of ev.filter((e) => e.type !== 'request-end')) console.log('   ', brief(e).slice(0, 160));
console.log('edge conns', stats.conns, 'health', JSON.stringify((await fetch.router.health()).map((h) => ({ n: h.name, breaker: h.breaker, avail: h.available }))));
await fetch.router.close(); process.exit(0);
