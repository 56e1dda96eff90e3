// Gateway close: a request waiting out a backoff when the grace runs out. Does gateway.close(500) still end near 500 ms?
import http from 'node:http';
import { loadConfig, startGateway } from '/tmp/review19/repo/apps/worker/dist/index.js';
let hits = 0;
const upstream = http.createServer((req, res) => { hits += 1; req.resume(); res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":{"message":"boom"}}'); });
await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
const config = loadConfig({ endpoints: [{ name: 'u', baseUrl: `http://127.0.0.1:${upstream.address().port}/v1`, apiKey: 'sk-u' }], allowUnauthenticated: true,
  router: { maxAttempts: 2, backoff: { baseMs: 8000, capMs: 8000, jitter: 'none', multiplier: 1 } } }, {});
const gateway = await startGateway({ config });
const pending = fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) }).then((r) => r.status, (e) => e.cause?.code ?? e.name);
while (hits === 0) await new Promise((r) => setTimeout(r, 10));
const t0 = Date.now();
await gateway.close(500);
console.log(`gateway.close(500) took ${Date.now() - t0} ms; client saw ${await pending}`);
upstream.close(); process.exit(0);
