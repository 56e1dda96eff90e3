// Variant: a streamed response the caller holds without reading; close({ graceMs: 0 }).
import http from 'node:http';
import { createRouter } from '/tmp/review19/repo/packages/node/dist/index.js';
const server = http.createServer((req, res) => { req.resume(); res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write('data: {"choices":[{"delta":{"content":"a"}}]}\n\n'); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();
const router = createRouter({ endpoints: [{ name: 'local', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-test' }] });
const response = await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
console.log('got response', response.status);
const t0 = Date.now();
const res = await Promise.race([router.close({ graceMs: 0 }).then(() => 'closed'), new Promise((r) => setTimeout(() => r('still pending after 5 s'), 5000))]);
console.log(`close({graceMs:0}): ${res} (${Date.now() - t0} ms)`);
server.closeAllConnections(); server.close();
process.exit(0);
