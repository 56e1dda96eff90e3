// A StateStore whose one call never answers: does deadlineMs (or the caller's abort) still end the request?
import http from 'node:http';
import { createRouter, createMemoryStore } from '../packages/node/dist/index.js';
const METHOD = process.env.METHOD ?? 'read';
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ id: 'c', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] })); }); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const memory = createMemoryStore();
const store = new Proxy(memory, { get: (t, k) => (k === METHOD ? () => new Promise(() => {}) : typeof t[k] === 'function' ? t[k].bind(t) : t[k]) });
const router = createRouter({ endpoints: [{ name: 'a', baseUrl: `http://127.0.0.1:${server.address().port}/v1`, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaa' }], deadlineMs: 1000, store });
const abort = new AbortController();
setTimeout(() => abort.abort(new Error('caller gave up')), 2000);
const t0 = Date.now();
const outcome = await Promise.race([
  router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }), signal: abort.signal })
    .then((r) => `answered ${r.status}`, (e) => `failed ${e.code ?? e.name}: ${String(e.message).slice(0, 80)}`),
  new Promise((r) => setTimeout(() => r('STILL PENDING at harness bound (6 s)'), 6000)),
]);
console.log(`store.${METHOD} hangs; deadlineMs 1000, caller abort at 2000 ms -> after ${Date.now() - t0} ms: ${outcome}`);
server.close(); setTimeout(() => process.exit(0), 50);
