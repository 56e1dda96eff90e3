// Non-idempotent POSTs (files.create, batches.create, images.generate, fine_tuning.jobs.create) through createFetch
// with the openai SDK at maxRetries 0. The upstream *processes* the request (counts a creation) and then fails in a
// way that is ambiguous to the client: a 500, a reset after reading the body, or an answer slower than the caller's
// attemptTimeoutMs. Counts how many resources end up created across endpoints for ONE SDK call.
import { load, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(90000);
const { createFetch, OpenAI } = await load();
const { toFile } = await import(`${process.argv[2] ?? '/tmp/attack20b'}/packages/node/node_modules/openai/index.mjs`);

const created = { A: [], B: [] };
const ok = (name, rec, res) => {
  const id = `${rec.url.includes('/batches') ? 'batch' : rec.url.includes('/files') ? 'file' : rec.url.includes('fine_tuning') ? 'ftjob' : 'img'}-${name}-${created[name].length + 1}`;
  created[name].push(`${rec.method} ${rec.url} -> ${id}`);
  return id;
};
let mode = 'ok';
const A = await fakeUpstream('A', (rec, req, res) => {
  if (rec.method === 'GET') return json(res, 200, { object: 'list', data: [] });
  const id = ok('A', rec, res); // the work is done (and billed) before the failure
  if (mode === '500') return json(res, 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
  if (mode === 'reset') return req.socket.destroy();
  if (mode === 'slow') return setTimeout(() => json(res, 200, { id, object: 'batch' }), 1500);
  json(res, 200, { id, object: 'batch' });
});
const B = await fakeUpstream('B', (rec, req, res) => {
  if (rec.method === 'GET') return json(res, 200, { object: 'list', data: [] });
  const id = ok('B', rec, res);
  json(res, 200, { id, object: rec.url.includes('/files') ? 'file' : 'batch', data: [{ url: 'x' }], created: 1 });
});

const file = await toFile(Buffer.from('{"custom_id":"1"}\n'), 'in.jsonl');
const calls = {
  'files.create': (c) => c.files.create({ purpose: 'batch', file }),
  'batches.create': (c) => c.batches.create({ input_file_id: 'file-abc', endpoint: '/v1/chat/completions', completion_window: '24h' }),
  'images.generate': (c) => c.images.generate({ model: 'gpt-image-1', prompt: 'a cat' }),
  'fine_tuning.jobs.create': (c) => c.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: 'file-abc' }),
};

const run = async (label, m, endpoints, extra = {}) => {
  mode = m;
  created.A = []; created.B = [];
  for (const [name, call] of Object.entries(calls)) {
    created.A = []; created.B = [];
    const fetch = createFetch({ endpoints, ...extra }); // a fresh router per call: no cooldown or breaker carried over
    const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });
    if (label.includes('pooled')) await client.models.list().catch(() => {}); // warm a pooled keep-alive connection to A
    let out;
    try {
      const { data, response } = await call(client).withResponse();
      out = `ok ${response.status} id=${data.id ?? JSON.stringify(data).slice(0, 40)} endpoint=${response.headers.get('x-detour-endpoint')} attempts=${response.headers.get('x-detour-attempts')}`;
    } catch (e) { out = `error ${e.status ?? ''} ${String(e.message).slice(0, 100)}`; }
    await new Promise((r) => setTimeout(r, 1700));
    await fetch.router.close();
    const n = created.A.length + created.B.length;
    console.log(`[${label}] ${name}: SDK saw: ${out}\n    resources created upstream: ${n} ${n > 1 ? '<== DUPLICATED' : ''} A=${JSON.stringify(created.A)} B=${JSON.stringify(created.B)}`);
  }
};

const two = [
  { name: 'A', baseUrl: A.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', priority: 0 },
  { name: 'B', baseUrl: B.url, apiKey: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', priority: 1 },
];
await run('A answers 500 after creating', '500', two);
await run('A resets after reading the body (fresh conn)', 'reset', two);
await run('A slow (1.5 s) with attemptTimeoutMs 500', 'slow', two, { attemptTimeoutMs: 500 });
await run('single endpoint, A answers 500 after creating', '500', [two[0]]);
await run('single endpoint, pooled conn, A resets after reading the body', 'reset', [two[0]]);
await Promise.all([A.close(), B.close()]);
