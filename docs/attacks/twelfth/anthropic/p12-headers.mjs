// Gateway header handling on Messages: caller auth in x-api-key or Authorization, anthropic-version/beta, request-id back, apiKeyHeader
import Anthropic from '@anthropic-ai/sdk';
import { raw, json, sse, okMsg, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(30000);
const b = await raw('b', (req, body, res) => {
  if (JSON.parse(body).stream) { res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_stream_b', 'anthropic-organization-id': 'org1' }); res.end(sse([['message_start', { type: 'message_start', message: { ...okMsg(''), content: [], usage: { input_tokens: 1, output_tokens: 1 } } }], ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }], ['message_stop', { type: 'message_stop' }]])); return; }
  json(res, 200, okMsg('x'), { 'request-id': 'req_json_b' });
});
const gw = await gateway([b]);
const viaKey = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0, defaultHeaders: { 'anthropic-beta': 'prompt-caching-2024-07-31' } });
const viaToken = new Anthropic({ baseURL: gw.url, apiKey: null, authToken: 'gk-test', maxRetries: 0 });
const r1 = await viaKey.messages.create(ask).withResponse();
console.log('x-api-key caller: request-id', r1.response.headers.get('request-id'), 'sdk _request_id', r1.data._request_id);
const r2 = await viaToken.messages.create(ask).withResponse();
console.log('authToken caller: request-id', r2.response.headers.get('request-id'));
const s = viaKey.messages.stream(ask); const fm = await s.finalMessage();
console.log('stream request-id', (await s.withResponse?.())?.response?.headers?.get('request-id') ?? 'n/a', s.request_id);
for (const r of b.reqs) console.log('upstream saw: x-api-key=', r.headers['x-api-key'], 'auth=', r.headers.authorization, 'version=', r.headers['anthropic-version'], 'beta=', r.headers['anthropic-beta'], 'url=', r.url);
await gw.close();
// endpoint with apiKeyHeader authorization (Bearer) via createFetch
const f = createFetch({ endpoints: endpointsFor([b], { apiKeyHeader: 'authorization' }) });
await new Anthropic({ apiKey: 'caller-key', fetch: f, maxRetries: 0 }).messages.create(ask);
const last = b.reqs.at(-1); console.log('apiKeyHeader=authorization: x-api-key=', last.headers['x-api-key'], 'auth=', last.headers.authorization);
b.close(); process.exit(0);
