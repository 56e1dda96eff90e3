// F15-5 scope: which routes relay a 200 text/plain body quoting the whole endpoint key, unscrubbed? node repro-get-key-routes.mjs
import http from 'node:http';
import { loadConfig, startGateway } from '../dist/index.js';
const KEY = 'sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1Pa3Sd0Fg';
const body = `upstream error, key ${KEY}`;
const up = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) }); res.end(body); }); });
await new Promise((r) => up.listen(0, '127.0.0.1', r));
const gw = await startGateway({ config: loadConfig({ endpoints: [{ name: 'a', provider: 'openai', baseUrl: `http://127.0.0.1:${up.address().port}/v1`, apiKey: KEY }, { name: 'c', provider: 'anthropic', baseUrl: `http://127.0.0.1:${up.address().port}/v1`, apiKey: KEY }], gatewayKeys: ['gk-test-123456789'] }, {}), accessLog: () => {} });
for (const [method, path] of [['GET', '/v1/responses/resp_1'], ['GET', '/v1/responses/resp_1?stream=true'], ['GET', '/v1/responses/resp_1/input_items'], ['DELETE', '/v1/responses/resp_1'], ['POST', '/v1/responses/resp_1/cancel'], ['GET', '/v1/models'], ['POST', '/v1/messages/count_tokens'], ['POST', '/v1/responses/input_tokens']]) {
  const b = method === 'POST' ? (path.includes('messages') ? '{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}' : '{"model":"gpt-4.1-mini","input":"hi"}') : undefined;
  const r = await fetch(gw.url + path, { method, headers: { authorization: 'Bearer gk-test-123456789', 'content-type': 'application/json', ...(path.includes('messages') ? { 'anthropic-version': '2023-06-01' } : {}) }, body: b });
  const t = await r.text();
  console.log(`${method} ${path}: ${r.status} key in body: ${t.includes(KEY)}  ${t.slice(0, 80)}`);
}
await gw.close(0); up.close(); process.exit(0);
