// F2/F3: NodeRouter.close({ graceMs: 0 }) now resolves only once router.idle() (then flush): a request waiting
// between attempts (a backoff) holds close() for the whole wait, although graceMs 0 documents "cut now".
import http from 'node:http';
import { createRouter } from '/tmp/review19/repo/packages/node/dist/index.js';
let hits = 0;
const server = http.createServer((req, res) => { hits += 1; req.resume(); res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"error":{"message":"boom"}}'); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();
const router = createRouter({
  endpoints: [{ name: 'local', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-test' }],
  maxAttempts: 2, backoff: { baseMs: 6000, capMs: 6000, jitter: 'none', multiplier: 1 },
});
const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) };
const pending = router.send(chat).then(() => 'ok', (e) => e.code ?? e.name);
while (hits === 0) await new Promise((r) => setTimeout(r, 10));
await new Promise((r) => setTimeout(r, 50));
const t0 = Date.now();
await router.close({ graceMs: 0 });
const took = Date.now() - t0;
console.log(`close({graceMs:0}) took ${took} ms; request ended: ${await pending}`);
console.log(took > 1000 ? 'DEFECT REPRODUCED: expected close({graceMs:0}) to resolve at once (before: pool destroy only)' : 'held');
server.close();
process.exit(0);
