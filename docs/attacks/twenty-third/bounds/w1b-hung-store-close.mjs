// With store.read hung: does router.close({ graceMs: 100 }) (shutDown + pool cut) end the request, and itself?
import http from 'node:http';
import { createRouter, createMemoryStore } from '../packages/node/dist/index.js';
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); }); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const memory = createMemoryStore();
const store = new Proxy(memory, { get: (t, k) => (k === (process.env.METHOD ?? 'read') ? () => new Promise(() => {}) : typeof t[k] === 'function' ? t[k].bind(t) : t[k]) });
const router = createRouter({ endpoints: [{ name: 'a', baseUrl: `http://127.0.0.1:${server.address().port}/v1`, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaa' }], deadlineMs: 1000, store });
const t0 = Date.now();
let req = 'pending', closed = 'pending';
router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'm', messages: [] }) }).then((r) => (req = `answered ${r.status} at ${Date.now() - t0} ms`), (e) => (req = `failed ${e.code} at ${Date.now() - t0} ms`));
setTimeout(() => router.close({ graceMs: 100 }).then(() => (closed = `resolved at ${Date.now() - t0} ms`)), 1500);
setTimeout(() => { console.log(`store.${process.env.METHOD ?? 'read'} hung; close({graceMs:100}) at 1500 ms. At 6000 ms: request ${req}; close ${closed}`); server.close(); process.exit(0); }, 6000);
