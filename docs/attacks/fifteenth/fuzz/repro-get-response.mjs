// F15-4: GET /v1/responses/{id} (retrieve a stored response): the answer is relayed without the checks POST gets.
// node repro-get-response.mjs
import http from 'node:http';
import OpenAI from 'openai';
import { loadConfig, startGateway } from '../dist/index.js';
import { createFetch } from '../../../packages/node/dist/index.js';
const KEY = 'sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1Pa3Sd0Fg';
const resp = JSON.stringify({ id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model: 'gpt-4.1-mini', output: [{ type: 'message', id: 'm1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello world.', annotations: [] }] }], usage: { input_tokens: 5, output_tokens: 3, total_tokens: 8 } });
const variants = {
  'control: 200 JSON': { ct: 'application/json', body: resp },
  '200 Anthropic error envelope quoting the key': { ct: 'application/json', body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: `Overloaded for key ${KEY}` } }) },
  '200 OpenAI error envelope': { ct: 'application/json', body: JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } }) },
  '200 JSON cut (Content-Length short)': { ct: 'application/json', body: resp, cut: 40 },
  '200 JSON labelled text/plain': { ct: 'text/plain', body: resp },
  '200 {"ok":true}': { ct: 'application/json', body: '{"ok":true}' },
  '200 empty': { ct: 'application/json', body: '' },
  '200 status "failed"': { ct: 'application/json', body: resp.replace('"status":"completed","model"', '"status":"failed","model"') },
};
let cur;
const up = http.createServer((req, res) => { req.resume(); req.on('end', () => {
  const b = Buffer.from(cur.body);
  const send = cur.cut ? b.subarray(0, cur.cut) : b;
  res.writeHead(200, { 'content-type': cur.ct, 'content-length': cur.cut ? b.length : b.length });
  if (cur.cut) { res.write(send); setTimeout(() => res.socket.destroy(), 20); } else res.end(b);
}); });
await new Promise((r) => up.listen(0, '127.0.0.1', r));
const endpoints = [{ name: 'a', provider: 'openai', baseUrl: `http://127.0.0.1:${up.address().port}/v1`, apiKey: KEY }];
for (const [name, v] of Object.entries(variants)) {
  cur = v;
  // a fresh gateway and createFetch per variant (no cooldown carried over)
  const gw = await startGateway({ config: loadConfig({ endpoints, gatewayKeys: ['gk-test-123456789'] }, {}), accessLog: () => {} });
  const viaGw = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'gk-test-123456789', maxRetries: 0 });
  const viaCf = new OpenAI({ baseURL: endpoints[0].baseUrl, apiKey: 'x', fetch: createFetch({ endpoints }), maxRetries: 0 });
  const raw = await fetch(`${gw.url}/v1/responses/resp_1`, { headers: { authorization: 'Bearer gk-test-123456789' } }).then(async (r) => `${r.status} ${r.headers.get('content-type')} ${(await r.text().catch((e) => `<${e.message}>`)).slice(0, 90)}`).catch((e) => `fetch threw ${e.message}`);
  const sdk = async (c) => { try { const r = await c.responses.retrieve('resp_1'); return `returned ${typeof r === 'string' ? 'a string' : `status=${r.status} output_text=${JSON.stringify(r.output_text)}`} ${JSON.stringify(r).slice(0, 70)}`; } catch (e) { return `threw ${e.constructor.name}: ${e.message.slice(0, 80)}`; } };
  const g2 = await startGateway({ config: loadConfig({ endpoints, gatewayKeys: ['gk-test-123456789'] }, {}), accessLog: () => {} });
  const viaGw2 = new OpenAI({ baseURL: `${g2.url}/v1`, apiKey: 'gk-test-123456789', maxRetries: 0 });
  console.log(`${name}\n   gateway raw: ${raw}\n   openai SDK via gateway: ${await sdk(viaGw2)}\n   openai SDK via createFetch: ${await sdk(viaCf)}`);
  await gw.close(0); await g2.close(0);
} up.close(); process.exit(0);
