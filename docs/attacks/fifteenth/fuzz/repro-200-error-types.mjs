// Which 200-with-error-envelope bodies are served as successes? node repro-200-error-types.mjs
import http from 'node:http';
import { loadConfig, startGateway } from '../dist/index.js';
let cur;
const up = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(cur); }); });
await new Promise((r) => up.listen(0, '127.0.0.1', r));
for (const api of ['responses', 'messages']) for (const method of api === 'responses' ? ['POST', 'GET'] : ['POST']) for (const shape of ['ant', 'oai']) for (const t of ['overloaded_error', 'api_error', 'rate_limit_error', 'authentication_error', 'not_found_error', 'invalid_request_error', 'server_error']) {
  cur = shape === 'ant' ? JSON.stringify({ type: 'error', error: { type: t, message: 'm' } }) : JSON.stringify({ error: { type: t, message: 'm', code: null } });
  const endpoints = [{ name: 'a', provider: api === 'messages' ? 'anthropic' : 'openai', baseUrl: `http://127.0.0.1:${up.address().port}/v1`, apiKey: 'sk-a-0123456789abc' }];
  const gw = await startGateway({ config: loadConfig({ endpoints, gatewayKeys: ['gk-test-123456789'], router: { maxAttempts: 1 } }, {}), accessLog: () => {} });
  const url = api === 'messages' ? '/v1/messages' : method === 'GET' ? '/v1/responses/resp_1' : '/v1/responses';
  const body = method === 'GET' ? undefined : JSON.stringify(api === 'messages' ? { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] } : { model: 'gpt-4.1-mini', input: 'hi' });
  const r = await fetch(gw.url + url, { method, body, headers: { authorization: 'Bearer gk-test-123456789', 'content-type': 'application/json', 'anthropic-version': '2023-06-01' } });
  const txt = await r.text();
  console.log(`${method} ${url} 200 ${shape}-envelope ${t}: caller ${r.status}${r.status === 200 ? '  <== served as success' : ''} ${txt.slice(0, 70)}`);
  await gw.close(0);
}
up.close(); process.exit(0);
