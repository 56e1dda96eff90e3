// previous_response_id pinning + hostile ids on /responses/{id} via createFetch.
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { start, sse, events } from './upstream.mjs';
const mode = { A: 'ok', B: 'ok' };
const mkSrv = (name) => start((req, r, body) => {
  if (mode[name] === 'down') { r.writeHead(500, { 'content-type': 'application/json' }); return r.end('{"error":{"message":"down","type":"server_error"}}'); }
  if (mode[name] === '429') { r.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' }); return r.end('{"error":{"message":"rl","type":"rate_limit_error"}}'); }
  if (req.method === 'POST' && req.url === '/v1/responses') {
    const j = JSON.parse(body || '{}'); const id = `resp_${name}_${Math.random().toString(36).slice(2, 7)}`;
    if (j.stream) { sse(r); return r.end(events(id).join('')); }
    r.writeHead(200, { 'content-type': 'application/json' });
    return r.end(JSON.stringify({ id, object: 'response', status: j.background ? 'queued' : 'completed', model: 'gpt-4.1', output: [{ type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'from ' + name, annotations: [] }] }], usage: { input_tokens: 3, input_tokens_details: { cached_tokens: 1 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 5 } }));
  }
  const m = req.url.match(/^\/v1\/responses\/([^/?]+)/);
  if (m && decodeURIComponent(m[1]).startsWith(`resp_${name}_`)) { r.writeHead(200, { 'content-type': 'application/json' }); return r.end(JSON.stringify({ id: m[1], object: 'response', status: 'completed', output: [] })); }
  r.writeHead(404, { 'content-type': 'application/json' }); r.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
});
const A = await mkSrv('A'), B = await mkSrv('B');
const fetch = createFetch({ endpoints: [
  { name: 'A', baseUrl: A.url, apiKey: 'a', provider: 'openai', priority: 0 },
  { name: 'B', baseUrl: B.url, apiKey: 'b', provider: 'openai', priority: 1 } ] });
const client = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
const log = (...a) => console.log(...a);
const r1 = await client.responses.create({ model: 'gpt-4.1', input: 'hi' }); log('first served', r1.id, 'usage', JSON.stringify(r1.usage));
const seen = () => `A:${A.seen.map((s) => s.method + ' ' + s.url).join(',')} | B:${B.seen.map((s) => s.method + ' ' + s.url).join(',')}`;
A.seen.length = B.seen.length = 0;
let r2 = await client.responses.create({ model: 'gpt-4.1', input: 'more', previous_response_id: r1.id }).withResponse(); log('follow-up (A ok):', r2.response.headers.get('x-detour-endpoint'), seen());
mode.A = 'down'; A.seen.length = B.seen.length = 0;
try { const r = await client.responses.create({ model: 'gpt-4.1', input: 'more', previous_response_id: r1.id }); log('follow-up A down: SERVED', r.output_text, seen()); } catch (e) { log('follow-up (A down):', e.status, String(e.message).slice(0, 80), seen()); }
mode.A = 'ok'; A.seen.length = B.seen.length = 0;
try { const r = await client.responses.create({ model: 'gpt-4.1', input: 'more', previous_response_id: r1.id }); log('follow-up A back, (cooling?):', r.output_text, seen()); } catch (e) { log('follow-up (A after failure):', e.status, String(e.message).slice(0, 80), seen()); }
// Stream pin
const fetch2 = createFetch({ endpoints: [ { name: 'A', baseUrl: A.url, apiKey: 'a', provider: 'openai', priority: 1 }, { name: 'B', baseUrl: B.url, apiKey: 'b', provider: 'openai', priority: 0 } ] });
const c2 = new OpenAI({ apiKey: 'x', fetch: fetch2, maxRetries: 0 });
// unknown id (not seen by fetch2): lookup
A.seen.length = B.seen.length = 0;
try { const r = await c2.responses.create({ model: 'gpt-4.1', input: 'more', previous_response_id: r1.id }); log('unknown-id follow-up on fresh router:', r.output_text, seen()); } catch (e) { log('unknown id:', e.status, e.message.slice(0, 80), seen()); }
// hostile ids
for (const id of ['../models', '..%2F..%2Fmodels', '%2e%2e', 'a/../../x', '__proto__', 'constructor', 'x'.repeat(10000), 'resp_A_x?y=1', 'resp%00', '']) {
  for (const [meth, suffix] of [['GET', ''], ['DELETE', ''], ['POST', '/cancel'], ['GET', '/input_items']]) {
    A.seen.length = B.seen.length = 0;
    const res = await fetch(`http://x/v1/responses/${id}${suffix}`, { method: meth });
    const t = (await res.text()).slice(0, 60);
    log(`${meth} ${id.slice(0, 20)}${suffix} -> ${res.status} ${res.headers.get('x-detour-error') ?? ''} ${t.replace(/\s+/g, ' ')} || ${seen().slice(0, 150)}`);
  }
}
A.srv.close(); B.srv.close(); process.exit(0);
