// F15-4b: GET /v1/responses/{id}: a 200 whose body is not application/json is relayed unscrubbed? node repro-get-key.mjs
import http from 'node:http';
import { loadConfig, startGateway } from '../dist/index.js';
const KEY = 'sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1Pa3Sd0Fg';
const pct = encodeURIComponent(KEY).replace(/-/g, '%2D');
const variants = [
  ['text/plain', `upstream error, key ${KEY}`], ['text/html', `<p>bad key ${KEY}</p>`], [null, JSON.stringify({ error: { message: `bad key ${KEY}`, type: 'server_error' } })],
  ['text/html', JSON.stringify({ error: { message: `bad key ${pct}`, type: 'server_error' } })], ['application/json', JSON.stringify({ error: { message: `bad key ${pct}`, type: 'server_error' } })],
];
let cur;
const up = http.createServer((req, res) => { req.resume(); req.on('end', () => { const h = { 'content-length': Buffer.byteLength(cur[1]) }; if (cur[0]) h['content-type'] = cur[0]; res.writeHead(200, h); res.end(cur[1]); }); });
await new Promise((r) => up.listen(0, '127.0.0.1', r));
for (const v of variants) {
  cur = v;
  const gw = await startGateway({ config: loadConfig({ endpoints: [{ name: 'a', provider: 'openai', baseUrl: `http://127.0.0.1:${up.address().port}/v1`, apiKey: KEY }], gatewayKeys: ['gk-test-123456789'] }, {}), accessLog: () => {} });
  for (const method of ['GET', 'POST']) {
    const r = await fetch(`${gw.url}/v1/responses${method === 'GET' ? '/resp_1' : ''}`, { method, headers: { authorization: 'Bearer gk-test-123456789', 'content-type': 'application/json' }, body: method === 'POST' ? '{"model":"gpt-4.1-mini","input":"hi"}' : undefined });
    const t = await r.text();
    const dec = decodeURIComponent(t.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
    console.log(`${method} 200 ${v[0]} ${v[1].includes('%2D') ? '(key %-encoded)' : '(key plain)'}: caller ${r.status} ${r.headers.get('content-type')} key present: ${t.includes(KEY) || dec.includes(KEY)}  ${t.slice(0, 90)}`);
  }
  await gw.close(0);
}
up.close(); process.exit(0);
