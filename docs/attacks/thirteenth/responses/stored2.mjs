// Stream-learned pins, store:false, cooling storage.
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { start, sse, events } from './upstream.mjs';
const mode = { A: 'ok', B: 'ok' };
const mk = (name) => start((req, r, body) => {
  if (mode[name] === '429') { r.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' }); return r.end('{"error":{"message":"rl","type":"rate_limit_error"}}'); }
  if (req.method === 'POST') { const j = JSON.parse(body); const id = `resp_${name}_${Math.random().toString(36).slice(2, 7)}`;
    if (j.stream) { sse(r); return r.end(events(id).join('')); }
    r.writeHead(200, { 'content-type': 'application/json' }); return r.end(JSON.stringify({ id, object: 'response', status: 'completed', output: [], usage: null })); }
  r.writeHead(404, { 'content-type': 'application/json' }); r.end('{"error":{"message":"nf"}}');
});
const A = await mk('A'), B = await mk('B');
const fetch = createFetch({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a', priority: 0 }, { name: 'B', baseUrl: B.url, apiKey: 'b', priority: 1 }] });
const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
const seen = () => `A:${A.seen.map((s) => s.method + ' ' + s.url).join(',')} | B:${B.seen.map((s) => s.method + ' ' + s.url).join(',')}`;
let id; for await (const e of await c.responses.create({ model: 'm', input: 'hi', stream: true })) if (e.type === 'response.created') id = e.response.id;
console.log('stream id', id);
mode.A = '429'; A.seen.length = B.seen.length = 0;
for (let i = 0; i < 2; i++) { try { const r = await c.responses.create({ model: 'm', input: 'x', previous_response_id: id }); console.log('cooling: SERVED', r.id, seen()); } catch (e) { console.log('cooling follow-up', i, e.status, e.headers?.get?.('retry-after'), String(e.message).slice(0, 60), seen()); } A.seen.length = B.seen.length = 0; }
// non-pinned request while A cooling -> should go to B
const r3 = await c.responses.create({ model: 'm', input: 'x' }); console.log('fresh while A cooling ->', r3.id);
// store:false stream on A? A is cooling; use B; then follow-up
mode.A = 'ok';
A.srv.close(); B.srv.close(); process.exit(0);
