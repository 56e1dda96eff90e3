// Request bodies that can be read only once (ReadableStream with duplex 'half', a Request object with a stream body)
// re-sent whole on failover; and an upload over maxRequestBytes (32 MiB) through the openai SDK: what the caller sees
// and whether anything reached an upstream.
import { randomBytes } from 'node:crypto';
import { load, fakeUpstream, json, sha, watchdog } from './lib.mjs';
watchdog(90000);
const { createFetch, OpenAI } = await load();
const { toFile } = await import(`${process.argv[2] ?? '/tmp/attack20b'}/packages/node/node_modules/openai/index.mjs`);

const A = await fakeUpstream('A', (rec, req, res) => json(res, 503, { error: { message: 'overloaded' } }));
const B = await fakeUpstream('B', (rec, req, res) => json(res, 200, { id: 'x', object: 'file', bytes: rec.body.length }));
const mk = () => createFetch({ endpoints: [
  { name: 'A', baseUrl: A.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', priority: 0 },
  { name: 'B', baseUrl: B.url, apiKey: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', priority: 1 },
] });
const payload = randomBytes(2 * 1024 * 1024);
const chunked = () => new ReadableStream({ start(c) { for (let i = 0; i < payload.length; i += 65536) c.enqueue(payload.subarray(i, i + 65536)); c.close(); } });

let f = mk();
let r = await f('https://api.openai.com/v1/uploads/up_1/parts', { method: 'POST', body: chunked(), duplex: 'half', headers: { 'content-type': 'application/octet-stream' } });
console.log('ReadableStream+duplex:', r.status, 'attempts', r.headers.get('x-detour-attempts'), '| A got', A.log.at(-1).body.length, sha(A.log.at(-1).body), '| B got', B.log.at(-1).body.length, sha(B.log.at(-1).body), '| original', payload.length, sha(payload));
await f.router.close();

f = mk();
r = await f(new Request('https://api.openai.com/v1/uploads/up_1/parts', { method: 'POST', body: chunked(), duplex: 'half', headers: { 'content-type': 'application/octet-stream' } }));
console.log('Request(stream body):', r.status, 'attempts', r.headers.get('x-detour-attempts'), '| A got', A.log.at(-1).body.length, '| B got', B.log.at(-1).body.length, sha(B.log.at(-1).body));
await f.router.close();

// over the limit: 40 MiB file
f = mk();
const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch: f });
const before = A.log.length + B.log.length;
try {
  await client.files.create({ purpose: 'batch', file: await toFile(Buffer.alloc(40 * 1024 * 1024, 0x41), 'big.jsonl') });
  console.log('40 MiB upload: accepted');
} catch (e) { console.log('40 MiB upload:', e.constructor.name, e.status, e.code, String(e.message).slice(0, 160), '| x-detour-error', e.headers?.get('x-detour-error'), '| upstream requests', A.log.length + B.log.length - before); }
await f.router.close();
await Promise.all([A.close(), B.close()]);
