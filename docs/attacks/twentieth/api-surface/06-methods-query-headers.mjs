// GET / DELETE / query strings / response headers / Request objects / abort / SDK timeout through createFetch.
import { load, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(90000);
const { createFetch, OpenAI } = await load();

let slowMs = 0;
const handler = (name) => (rec, req, res) => {
  const u = new URL(rec.url, 'http://x');
  const common = { 'x-request-id': `req_${name}_${rec.url.length}`, 'openai-processing-ms': '42', 'x-ratelimit-remaining-requests': '99', 'x-ratelimit-limit-requests': '100', 'openai-version': '2020-10-01' };
  if (u.pathname === '/v1/files' && rec.method === 'GET') {
    const after = u.searchParams.get('after');
    const start = after ? Number(after.split('-')[1]) : 0;
    const limit = Number(u.searchParams.get('limit') ?? 3);
    const data = Array.from({ length: Math.min(limit, 7 - start) }, (_, i) => ({ id: `file-${start + i + 1}`, object: 'file' }));
    return json(res, 200, { object: 'list', data, has_more: start + data.length < 7, first_id: data[0]?.id, last_id: data.at(-1)?.id }, common);
  }
  if (u.pathname.startsWith('/v1/files/') && rec.method === 'DELETE') return json(res, 200, { id: u.pathname.split('/')[3], object: 'file', deleted: true }, common);
  if (u.pathname.startsWith('/v1/batches/')) return setTimeout(() => json(res, 200, { id: u.pathname.split('/')[3], object: 'batch', status: 'completed' }, common), slowMs);
  if (u.pathname === '/v1/embeddings') {
    const body = JSON.parse(rec.body);
    const n = Array.isArray(body.input) ? body.input.length : 1;
    // base64 of 4 float32 [0.5, -1, 2, 0.25]
    const b64 = Buffer.from(new Float32Array([0.5, -1, 2, 0.25]).buffer).toString('base64');
    return json(res, 200, { object: 'list', model: body.model, data: Array.from({ length: n }, (_, i) => ({ object: 'embedding', index: i, embedding: body.encoding_format === 'base64' ? b64 : [0.5, -1, 2, 0.25] })), usage: { prompt_tokens: n, total_tokens: n } }, common);
  }
  if (u.pathname === '/v1/moderations') return json(res, 200, { id: 'modr', model: 'omni-moderation-latest', results: [{ flagged: false, categories: {}, category_scores: {} }] }, common);
  json(res, 404, { error: { message: `unknown ${rec.method} ${rec.url}` } });
};
const A = await fakeUpstream('A', handler('A'));
const B = await fakeUpstream('B', handler('B'));
const fetch = createFetch({ endpoints: [
  { name: 'A', baseUrl: A.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', priority: 0, models: { 'text-embedding-3-small': 'emb-small-on-A' } },
  { name: 'B', baseUrl: B.url, apiKey: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', priority: 1, query: { 'api-version': '2025-01-01' } },
] });
const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });

// 1. files.list with pagination, auto-paging
const ids = [];
for await (const f of client.files.list({ limit: 3, order: 'asc' })) ids.push(f.id);
console.log('files.list auto-paged ids:', ids.join(','), '| upstream GETs:', A.log.filter((r) => r.url.startsWith('/v1/files')).map((r) => r.url));

// 2. raw headers the SDK reads
const { response, request_id } = await client.files.list({ limit: 1 }).withResponse();
console.log('withResponse headers:', Object.fromEntries([...response.headers].filter(([k]) => /request-id|processing|ratelimit|openai-version|x-detour/.test(k))), 'sdk request_id:', request_id);

// 3. DELETE with no body; what reached the upstream
await client.files.delete('file-9');
const del = A.log.at(-1);
console.log('files.delete upstream:', del.method, del.url, 'content-length', del.headers['content-length'], 'content-type', del.headers['content-type'], 'body bytes', del.body.length);

// 4. embeddings: model rename on A, large input array, base64 (the SDK's default) decoded correctly
const input = Array.from({ length: 2048 }, (_, i) => `text ${i}`);
const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input });
const embRec = A.log.at(-1);
const sent = JSON.parse(embRec.body);
console.log('embeddings: upstream model', sent.model, 'inputs', sent.input.length, 'encoding_format', sent.encoding_format, '| SDK got', emb.data.length, 'vectors, first', JSON.stringify(emb.data[0].embedding), 'model in answer', emb.model);

// 5. moderations
const mod = await client.moderations.create({ input: ['a', 'b'], model: 'omni-moderation-latest' }).withResponse();
console.log('moderations:', mod.response.status, mod.response.headers.get('x-detour-endpoint'), JSON.stringify(mod.data.results[0]));

// 6. fetch(Request) rather than (url, init); with a body and a query
const r1 = await fetch(new Request('https://api.openai.com/v1/embeddings?foo=bar', { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': 'kept' }, body: JSON.stringify({ model: 'm', input: 'x' }) }));
const rec1 = B.log.at(-1); // model 'm' is not in A's models map: B serves it
console.log('fetch(Request):', r1.status, 'upstream', rec1.method, rec1.url, 'x-custom', rec1.headers['x-custom'], 'body', rec1.body.toString().slice(0, 200));
// Request + init overriding the method only: what body is sent?
const r2 = await fetch(new Request('https://api.openai.com/v1/embeddings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', input: 'y' }) }), { headers: { 'x-extra': '1' } });
const rec2 = B.log.at(-1);
console.log('fetch(Request, {headers}):', r2.status, 'upstream content-type', rec2.headers['content-type'], 'x-extra', rec2.headers['x-extra'], 'body', rec2.body.toString().slice(0, 200));

// 7. ReadableStream body with duplex half, raw fetch
const enc = new TextEncoder();
const rs = new ReadableStream({ start(c) { c.enqueue(enc.encode('{"model":"m",')); c.enqueue(enc.encode('"input":"z"}')); c.close(); } });
const r3 = await fetch('https://api.openai.com/v1/embeddings', { method: 'POST', body: rs, duplex: 'half', headers: { 'content-type': 'application/json' } });
console.log('ReadableStream body:', r3.status, 'upstream body', B.log.at(-1).body.toString());

// 8. batches.retrieve with an AbortSignal, and the SDK's timeout
slowMs = 1500;
const ac = new AbortController();
setTimeout(() => ac.abort(), 200);
let t0 = performance.now();
try { await client.batches.retrieve('batch_1', { signal: ac.signal }); console.log('abort: NOT aborted'); } catch (e) { console.log('abort: SDK threw', e.constructor.name, 'after', (performance.now() - t0).toFixed(0), 'ms'); }
t0 = performance.now();
try { await client.batches.retrieve('batch_2', { timeout: 300 }); console.log('timeout: NOT timed out'); } catch (e) { console.log('SDK timeout 300ms: threw', e.constructor.name, 'after', (performance.now() - t0).toFixed(0), 'ms'); }
// SDK maxRetries default (2) with Detour: retries on Detour's own 5xx?
slowMs = 0;
const c2 = new OpenAI({ apiKey: 'unused', fetch }); // default maxRetries
const before = A.log.length + B.log.length;
try { await c2.files.retrieve('nope'); } catch (e) { console.log('default maxRetries, 404 answer: status', e.status, 'x-should-retry', e.headers?.get('x-should-retry'), 'upstream requests', A.log.length + B.log.length - before); }
console.log('B (query api-version) saw:', B.log.map((r) => `${r.method} ${r.url}`));
await new Promise((r) => setTimeout(r, 1600));
await fetch.router.close();
await Promise.all([A.close(), B.close()]);
