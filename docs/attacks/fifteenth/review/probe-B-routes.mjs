// B: stored-response routes as JSON routes. node probe-B-routes.mjs
import { upstream, gateway, createFetch, OpenAI, GK } from './lib.mjs';
let plan = {}; const KEY = 'sk-proj-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1Pa3Sd0Fg';
var resp = { id: 'resp_abc123', object: 'response', created_at: 1, status: 'completed', model: 'gpt-4.1-mini', output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'hi', annotations: [] }] }], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } };
const u = await upstream((req, res, body) => {
  const who = req.url.split('/')[1];
  const p = plan[`${who} ${req.method}`] ?? plan[req.method] ?? plan.any ?? [200, J, JSON.stringify(resp)];
  const [status, headers, out] = typeof p === 'function' ? p(req, body) : p;
  res.writeHead(status, headers); res.end(out);
});
var J = { 'content-type': 'application/json' };
const eps = (n = 1) => [{ name: 'a', provider: 'openai', baseUrl: `${u.base}/a/v1`, apiKey: KEY }, { name: 'b', provider: 'openai', baseUrl: `${u.base}/b/v1`, apiKey: 'sk-proj-BBBBbbbb2222cccc3333dddd', priority: 1 }].slice(0, n);
const call = async (gw, method, path, body) => {
  u.hits.length = 0;
  const r = await fetch(gw.url + path, { method, headers: { authorization: `Bearer ${GK}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const t = await r.text();
  return `${r.status} ${r.headers.get('content-type')} body=${JSON.stringify(t.slice(0, 150))} upstream=[${u.hits.join(', ')}]`;
};
const cases = [
  ['DELETE 204 (one endpoint)', { DELETE: [204, {}, ''] }, 1, 'DELETE', '/v1/responses/resp_abc123'],
  ['DELETE 200 empty body (no content-type)', { DELETE: [200, {}, ''] }, 1, 'DELETE', '/v1/responses/resp_abc123'],
  ['DELETE 200 text/plain "OK"', { DELETE: [200, { 'content-type': 'text/plain' }, 'OK'] }, 1, 'DELETE', '/v1/responses/resp_abc123'],
  ['DELETE 202 empty', { DELETE: [202, {}, ''] }, 1, 'DELETE', '/v1/responses/resp_abc123'],
  ['DELETE 200 JSON deleted', { DELETE: [200, J, JSON.stringify({ id: 'resp_abc123', object: 'response', deleted: true })] }, 1, 'DELETE', '/v1/responses/resp_abc123'],
  ['DELETE 200 empty object {}', { DELETE: [200, J, '{}'] }, 1, 'DELETE', '/v1/responses/resp_abc123'],
  ['DELETE 500 then (retry) 404', { DELETE: (() => { let n = 0; return () => (n++ === 0 ? [500, J, '{"error":{"message":"oops","type":"server_error"}}'] : [404, J, '{"error":{"message":"not found","type":"invalid_request_error"}}']); })() }, 1, 'DELETE', '/v1/responses/resp_abc123'],
  ['GET 204', { GET: [204, {}, ''] }, 1, 'GET', '/v1/responses/resp_abc123'],
  ['GET 200 JSON', { GET: [200, J, JSON.stringify(resp)] }, 1, 'GET', '/v1/responses/resp_abc123'],
  ['GET 2 storages: a 500, b 404', { 'a GET': [500, J, '{"error":{"message":"oops","type":"server_error"}}'], 'b GET': [404, J, '{"error":{"message":"No response found","type":"invalid_request_error"}}'] }, 2, 'GET', '/v1/responses/resp_abc123'],
  ['GET ?stream=true SSE', { GET: [200, { 'content-type': 'text/event-stream' }, `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":3,"delta":"hi"}\n\nevent: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', sequence_number: 4, response: resp })}\n\n`] }, 1, 'GET', '/v1/responses/resp_abc123?stream=true&starting_after=2'],
  ['GET ?stream=true but upstream JSON', { GET: [200, J, JSON.stringify(resp)] }, 1, 'GET', '/v1/responses/resp_abc123?stream=true'],
  ['GET no stream but upstream SSE', { GET: [200, { 'content-type': 'text/event-stream' }, `event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: resp })}\n\n`] }, 1, 'GET', '/v1/responses/resp_abc123'],
  ['GET input_items 200 JSON list', { GET: [200, J, '{"object":"list","data":[],"has_more":false}'] }, 1, 'GET', '/v1/responses/resp_abc123/input_items'],
  ['POST cancel 200 JSON', { POST: [200, J, JSON.stringify({ ...resp, status: 'cancelled' })] }, 1, 'POST', '/v1/responses/resp_abc123/cancel'],
  ['POST /v1/responses/compact 200 JSON', { POST: [200, J, JSON.stringify({ id: 'cmp_1', object: 'response.compaction', output: [], usage: resp.usage })] }, 1, 'POST', '/v1/responses/compact', { model: 'gpt-4.1-mini', input: 'hi' }],
  ['POST /v1/responses/input_tokens 200', { POST: [200, J, '{"object":"response.input_tokens","input_tokens":3}'] }, 1, 'POST', '/v1/responses/input_tokens', { model: 'gpt-4.1-mini', input: 'hi' }],
  ['GET /v1/responses/{id} 200 HTML quoting key tail', { GET: [200, { 'content-type': 'text/html' }, `<html>debug key ...${KEY.slice(-12)}</html>`] }, 1, 'GET', '/v1/responses/resp_abc123'],
  ['GET /v1/responses/{id}/input_items/extra (deeper path)', { GET: [200, { 'content-type': 'text/html' }, `<html>debug key ...${KEY.slice(-12)}</html>`] }, 1, 'GET', '/v1/responses/resp_abc123/input_items/x'],
  ['GET /v1/responses/resp.with.dot', { GET: [200, { 'content-type': 'text/plain' }, `debug ${KEY.slice(-12)}`] }, 1, 'GET', '/v1/responses/resp.abc'],
  ['GET /v1/responses/{id}/ (trailing slash) text', { GET: [200, { 'content-type': 'text/plain' }, `debug ${KEY.slice(-12)}`] }, 1, 'GET', '/v1/responses/resp_abc123/'],
  ['GET /v1/chat/completions/{id} (stored chat) text', { GET: [200, { 'content-type': 'text/plain' }, `debug ${KEY.slice(-12)}`] }, 1, 'GET', '/v1/chat/completions/chatcmpl-1'],
  ['GET /v1/conversations/{id} text', { GET: [200, { 'content-type': 'text/plain' }, `debug ${KEY.slice(-12)}`] }, 1, 'GET', '/v1/conversations/conv_1'],
];
for (const [name, p, n, method, path, body] of cases) {
  plan = p;
  const gw = await gateway({ endpoints: eps(n) });
  console.log(`## ${name}: ${method} ${path}\n   ${await call(gw, method, path, body)}`);
  await gw.close(0);
}
// SDK checks through createFetch
plan = { DELETE: [204, {}, ''], GET: [200, { 'content-type': 'text/plain' }, JSON.stringify(resp)] };
const c = new OpenAI({ baseURL: `${u.base}/a/v1`, apiKey: 'x', fetch: createFetch({ endpoints: eps(1) }), maxRetries: 0 });
try { const d = await c.responses.delete('resp_abc123'); console.log('createFetch SDK responses.delete on 204 ->', d); } catch (e) { console.log('createFetch SDK responses.delete on 204 THREW', e.constructor.name, e.message); }
try { const d = await c.responses.retrieve('resp_abc123'); console.log('createFetch SDK retrieve text/plain JSON ->', typeof d, d.id); } catch (e) { console.log('retrieve THREW', e.message); }
plan = { DELETE: [200, {}, ''] };
try { const d = await c.responses.delete('resp_abc123'); console.log('createFetch SDK responses.delete on 200-empty ->', d); } catch (e) { console.log('createFetch SDK responses.delete on 200-empty THREW', e.constructor.name, e.status, String(e.message).slice(0, 150), 'hits', u.hits.length); }
u.close(); process.exit(0);
