// Upstreams that read Content-Type strictly (FastAPI/vLLM: 422 when not JSON; axum/TGI: 415): a body the gateway
// parsed as JSON but forwarded under the caller's form-urlencoded label is refused upstream. Does it fail over,
// trip breakers, cool endpoints for everyone?
import http from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startGateway, hardTimeout } from './harness.mjs';
hardTimeout(60000);
const ok = JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4.1-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
const mk = (status, body) => { const s = http.createServer((req, res) => { req.resume(); req.on('end', () => {
  if (!/^application\/json/.test(req.headers['content-type'] ?? '')) { res.writeHead(status, { 'content-type': 'application/json' }); res.end(body); return; }
  res.writeHead(200, { 'content-type': 'application/json' }); res.end(ok); }); }).listen(0, '127.0.0.1'); return s; };
const vllm = mk(422, JSON.stringify({ detail: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from' }] }));
const tgi = mk(415, JSON.stringify({ error: 'Expected request with `Content-Type: application/json`' }));
await new Promise((r) => setTimeout(r, 200));
const gw = await startGateway('http://127.0.0.1:1', {
  endpoints: [
    { name: 'vllm', provider: 'other', baseUrl: `http://127.0.0.1:${vllm.address().port}/v1`, apiKey: 'sk-a-123456', priority: 0 },
    { name: 'tgi', provider: 'other', baseUrl: `http://127.0.0.1:${tgi.address().port}/v1`, apiKey: 'sk-b-123456', priority: 1 },
  ],
}, { args: ['--access-log'] });
const body = JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'Hi' }] });
const curl = async (args) => (await promisify(execFile)('nice', ['-n', '19', 'curl', '-sS', '-m', '8', '-i', `${gw.url}/v1/chat/completions`, '-H', 'authorization: Bearer gk-test-key', ...args])).stdout;
const out = await curl(['-d', body]);
console.log('curl -d (no content-type header):\n' + out.split('\r\n').filter((l) => /^HTTP|x-detour|^\{/.test(l)).join('\n'));
const out2 = await curl(['-H', 'content-type: application/json', '-d', body]);
console.log('same with -H content-type: application/json:\n' + out2.split('\r\n').filter((l) => /^HTTP|x-detour/.test(l)).join('\n'));
const health = await fetch(gw.url + '/healthz').then((r) => r.json());
console.log('healthz endpoints:', JSON.stringify(health.endpoints.map((e) => ({ name: e.name, available: e.available, breaker: e.breaker, cooldownSeconds: e.cooldownSeconds, reason: e.reason }))));
process.exit(0);
