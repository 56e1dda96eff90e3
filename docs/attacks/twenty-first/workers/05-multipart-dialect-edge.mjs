// Multipart routing by the form's model and routes of no API, through @detour/edge's createFetch inside workerd.
import { edgeInWorkerd, fakeUpstream, json, parseMultipart, watchdog } from './lib.mjs';
watchdog(200000);
const fnv = (buf) => { let s = 0x811c9dc5; for (let i = 0; i < buf.length; i++) s = Math.imul(s ^ buf[i], 16777619) >>> 0; return s.toString(16); };
const gen = (n, seed = 7) => { const a = Buffer.alloc(n); let x = seed; for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; a[i] = x >> 16; } return a; };
const mk = (name, fail) => fakeUpstream(name, (rec, rq, res) => {
  if (fail) return json(res, 503, { error: { message: 'overloaded', type: 'server_error', code: 'overloaded' } }, { 'retry-after': '1' });
  if (rec.url.includes('/audio/')) {
    const parts = parseMultipart(rec.body, rec.headers['content-type']);
    const model = parts?.find((p) => p.headers.includes('name="model"'))?.data.toString();
    const file = parts?.find((p) => p.headers.includes('name="file"'))?.data;
    return json(res, 200, { text: `${name} model=${model} file fnv=${file && fnv(file)} len=${file?.length}` });
  }
  if (rec.url.startsWith('/v1/models')) return json(res, 200, { object: 'list', data: [{ id: `${name}-model`, object: 'model', type: 'model', display_name: 'x', created_at: '2025-01-01T00:00:00Z' }], has_more: false, first_id: 'x', last_id: 'x' });
  if (rec.url.startsWith('/v1/files')) return json(res, 200, { object: 'list', data: [{ id: `${name}-file`, object: 'file' }], has_more: false });
  json(res, 404, { error: { message: 'nope' } });
});
const A = await mk('A'); const B = await mk('B'); const C = await mk('C-anthropic'); const F = await mk('F', true);
const w = await edgeInWorkerd(new URL('./edge-worker.mjs', import.meta.url).pathname);
const run = async (endpoints, call, arg) => (await fetch(`${w.url}/run`, { method: 'POST', body: JSON.stringify({ endpoints, call, arg }) })).json();
console.log('expected file fnv', fnv(gen(3 * 1024 * 1024)), 'len', 3 * 1024 * 1024);
// A does not serve whisper-1; B serves it as whisper-large-v3
const e1 = [
  { name: 'A', baseUrl: A.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', priority: 0, models: ['gpt-4.1'] },
  { name: 'B', baseUrl: B.url, apiKey: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', priority: 1, models: { 'whisper-1': 'whisper-large-v3' } },
];
console.log('transcription, A does not serve whisper-1:', JSON.stringify(await run(e1, 'transcriptions.create')));
// failover across two renamings: F (503) names it whisper-F, B names it whisper-large-v3
const e2 = [
  { name: 'F', baseUrl: F.url, apiKey: 'sk-ffffffffffffffffffffffff', priority: 0, models: { 'whisper-1': 'whisper-F-very-long-name-to-shift-bytes' } },
  { name: 'B', baseUrl: B.url, apiKey: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', priority: 1, models: { 'whisper-1': 'whisper-large-v3' } },
];
console.log('transcription, F 503 -> B, two renamings:', JSON.stringify(await run(e2, 'transcriptions.create')));
console.log('F saw:', F.log.map((r) => { const p = parseMultipart(r.body, r.headers['content-type']); return `${r.url} model=${p?.find((x) => x.headers.includes('name="model"'))?.data} file fnv=${fnv(p?.find((x) => x.headers.includes('name="file"'))?.data ?? Buffer.alloc(0))}`; }));
// routes of no API with both dialects (README config: openai + anthropic in one tier)
const e3 = [
  { name: 'A', baseUrl: A.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', priority: 0 },
  { name: 'C', baseUrl: C.url, apiKey: 'sk-ant-cccccccccccccccccccccc', priority: 0, provider: 'anthropic' },
];
const tally = {};
for (let i = 0; i < 10; i++) for (const call of ['models.list', 'files.list', 'anthropic models.list']) { const r = await run(e3, call); const k = `${call} -> ${r.ok ? r.ids : r.error}`; tally[k] = (tally[k] ?? 0) + 1; }
console.log('routes of no API, 10 each:', JSON.stringify(tally, null, 1));
console.log('C (anthropic) received:', C.log.map((r) => `${r.method} ${r.url} x-api-key=${r.headers['x-api-key'] ? 'set' : '-'} auth=${r.headers.authorization ? 'set' : '-'}`).reduce((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {}));
console.log('A (openai) received:', A.log.map((r) => `${r.method} ${r.url} anthropic-version=${r.headers['anthropic-version'] ?? '-'}`).reduce((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {}));
await w.close(); await Promise.all([A.close(), B.close(), C.close(), F.close()]);
process.exit(0);
