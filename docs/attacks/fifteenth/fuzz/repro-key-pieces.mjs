// F15-1: an upstream error quoting a piece of the endpoint key (its last N characters, or its first N ending
// before a quote) reaches the gateway's caller unredacted. node repro-key-pieces.mjs
import http from 'node:http';
import { loadConfig, startGateway } from '../dist/index.js';
const KEY = 'sk-ant-api03-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1Pa3Sd0Fg';
const variants = {
  'anthropic JSON 401, last 12 chars': (k) => ({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key …${k.slice(-12)}` } }),
  'anthropic JSON 401, last 24 chars': (k) => ({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${k.slice(-24)}` } }),
  'anthropic JSON 401, first 20 chars': (k) => ({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${k.slice(0, 20)}` } }),
  'anthropic JSON 401, first 20 chars + "..."': (k) => ({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${k.slice(0, 20)}...` } }),
  'openai JSON 403, middle 16 chars': (k) => ({ error: { message: `key ${k.slice(10, 26)} is not allowed`, type: 'permission_error' } }),
  'whole key (control)': (k) => ({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${k}` } }),
};
let current;
const up = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(401, { 'content-type': 'application/json' }); res.end(JSON.stringify(current(KEY))); }); });
await new Promise((r) => up.listen(0, '127.0.0.1', r));
for (const [name, fn] of Object.entries(variants)) {
  current = fn;
  const config = loadConfig({ endpoints: [{ name: 'a', provider: 'anthropic', baseUrl: `http://127.0.0.1:${up.address().port}/v1`, apiKey: KEY }], gatewayKeys: ['gk-test-123456789'] }, {});
  const gw = await startGateway({ config, accessLog: () => {} });
  const r = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'gk-test-123456789', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
  const body = await r.text();
  let longest = ''; for (let i = 0; i < KEY.length; i++) for (let j = i + 8; j <= KEY.length; j++) if (body.includes(KEY.slice(i, j)) && j - i > longest.length) longest = KEY.slice(i, j);
  console.log(`${name}: ${r.status} longest key piece in caller's body: ${longest.length} chars ${JSON.stringify(longest)}`);
  await gw.close(0);
}
up.close();
// The same in a response header of a successful answer (unknown headers are relayed).
{
  const up2 = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'x-upstream-debug': `key=...${KEY.slice(-16)}`, 'x-upstream-debug2': `key=${KEY}` }); res.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } })); }); });
  await new Promise((r) => up2.listen(0, '127.0.0.1', r));
  const config = loadConfig({ endpoints: [{ name: 'a', provider: 'anthropic', baseUrl: `http://127.0.0.1:${up2.address().port}/v1`, apiKey: KEY }], gatewayKeys: ['gk-test-123456789'] }, {});
  const gw = await startGateway({ config, accessLog: () => {} });
  const r = await fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'gk-test-123456789', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
  await r.text();
  console.log(`200 with header x-upstream-debug: key=...<last 16>: caller got x-upstream-debug=${JSON.stringify(r.headers.get('x-upstream-debug'))}, x-upstream-debug2 (whole key)=${JSON.stringify(r.headers.get('x-upstream-debug2'))}`);
  await gw.close(0); up2.close();
}
