// Stateful resources other than stored Responses: files, batches, threads, vector stores. Two OpenAI-compatible
// endpoints of different accounts (A priority 0, B priority 1; each knows only what it created). A answers 429 with
// Retry-After: 1 to the creating call, so B creates the resource; after A's cooldown, the follow-up calls that name
// the id go where? Also files.list pagination across a failover.
import { load, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(90000);
const { createFetch, OpenAI } = await load();
const { toFile } = await import(`${process.argv[2] ?? '/tmp/attack20b'}/packages/node/node_modules/openai/index.mjs`);

let throttleA = false;
const store = (name) => {
  const objects = new Map();
  return (rec, req, res) => {
    if (name === 'A' && throttleA) return json(res, 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '1' });
    const path = rec.url.split('?')[0].replace(/^\/v1/, '');
    const mkId = (p) => `${p}_${name}_${objects.size + 1}`;
    if (rec.method === 'POST' && ['/files', '/batches', '/threads', '/vector_stores', '/assistants'].includes(path)) {
      const id = mkId(path.slice(1, 5));
      objects.set(id, { id });
      return json(res, 200, { id, object: path.slice(1), status: 'validating', bytes: 1, filename: 'x', purpose: 'batch', created_at: 1 });
    }
    if (rec.method === 'GET' && path === '/files') {
      const all = [...objects.keys()].filter((k) => k.startsWith('file'));
      return json(res, 200, { object: 'list', data: all.map((id) => ({ id, object: 'file' })), has_more: false });
    }
    const m = /^\/(files|batches|threads|vector_stores)\/([^/]+)/.exec(path);
    const id = m?.[2];
    const needed = rec.method === 'POST' && path === '/batches' ? undefined : id;
    if (needed && !objects.has(needed)) return json(res, 404, { error: { message: `No such object: '${needed}'`, type: 'invalid_request_error', code: null } });
    return json(res, 200, { id: id ?? 'x', object: 'thing', deleted: rec.method === 'DELETE', data: [], has_more: false });
  };
};
const A = await fakeUpstream('A', store('A'));
const B = await fakeUpstream('B', store('B'));
const fetch = createFetch({ endpoints: [
  { name: 'A', baseUrl: A.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', priority: 0 },
  { name: 'B', baseUrl: B.url, apiKey: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', priority: 1 },
] });
const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });
const show = async (label, p) => {
  try {
    const { data, response } = await p.withResponse();
    console.log(`${label}: ${response.status} served by ${response.headers.get('x-detour-endpoint')} id=${data.id}`);
    return data;
  } catch (e) { console.log(`${label}: ERROR ${e.status} ${String(e.message).slice(0, 120)} (x-detour-endpoint=${e.headers?.get?.('x-detour-endpoint')})`); }
};

throttleA = true;
const f = await show('files.create while A throttled', client.files.create({ purpose: 'batch', file: await toFile(Buffer.from('{}\n'), 'x.jsonl') }));
const t = await show('beta.threads.create while A throttled', client.beta.threads.create({}));
const v = await show('vectorStores.create while A throttled', client.vectorStores.create({ name: 'v' }));
throttleA = false;
await new Promise((r) => setTimeout(r, 1300));
console.log('--- A recovered (cooldown over) ---');
await show(`files.retrieve(${f?.id})`, client.files.retrieve(f.id));
await show(`batches.create({ input_file_id: ${f?.id} })`, client.batches.create({ input_file_id: f.id, endpoint: '/v1/chat/completions', completion_window: '24h' }));
await show(`beta.threads.messages.create(${t?.id})`, client.beta.threads.messages.create(t.id, { role: 'user', content: 'hi' }));
await show(`vectorStores.files.create(${v?.id}, ${f?.id})`, client.vectorStores.files.create(v.id, { file_id: f.id }));
await show(`files.delete(${f?.id})`, client.files.delete(f.id));
console.log('A saw:', A.log.map((r) => `${r.method} ${r.url}`));
console.log('B saw:', B.log.map((r) => `${r.method} ${r.url}`));
await fetch.router.close();
await Promise.all([A.close(), B.close()]);
