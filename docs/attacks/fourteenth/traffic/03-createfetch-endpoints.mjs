// createFetch under the openai SDK: the routes beyond chat (embeddings with base64, moderations, files multipart,
// audio speech bytes, transcription as text, images, models, paged lists with query). Each call is made direct and
// through createFetch; the upstream records both. Compared: what the upstream got, what the SDK returned.
import OpenAI, { toFile } from 'openai';
import { upstream, createFetch, json, UPKEY, show } from './lib.mjs';

const f32 = Buffer.from(new Float32Array([0.25, -0.5, 0.125]).buffer).toString('base64');
const up = await upstream((req, buf, res) => {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  if (p === '/v1/embeddings') {
    const b = JSON.parse(buf);
    const inputs = Array.isArray(b.input) ? b.input : [b.input];
    return json(res, 200, { object: 'list', model: 'text-embedding-3-small', data: inputs.map((_, i) => ({ object: 'embedding', index: i, embedding: b.encoding_format === 'base64' ? f32 : [0.25, -0.5, 0.125] })), usage: { prompt_tokens: 7, total_tokens: 7 } });
  }
  if (p === '/v1/moderations') return json(res, 200, { id: 'modr-1', model: 'omni-moderation-latest', results: [{ flagged: false, categories: {}, category_scores: {} }] });
  if (p === '/v1/files' && req.method === 'POST') return json(res, 200, { id: 'file-1', object: 'file', bytes: 5, created_at: 1, filename: 'a.jsonl', purpose: 'batch' });
  if (p === '/v1/files' && req.method === 'GET') return json(res, 200, { object: 'list', data: [], has_more: false, first_id: null, last_id: null });
  if (p === '/v1/audio/speech') { res.writeHead(200, { 'content-type': 'audio/mpeg' }); return res.end(Buffer.from([0xff, 0xf3, 0x00, 0x01, 0x02, 0x80, 0x90])); }
  if (p === '/v1/audio/transcriptions') { res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }); return res.end('hello world\n'); }
  if (p === '/v1/images/generations') return json(res, 200, { created: 1, data: [{ b64_json: 'aGk=' }], usage: { total_tokens: 100, input_tokens: 50, output_tokens: 50, input_tokens_details: { text_tokens: 50, image_tokens: 0 } } });
  if (p === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: 'gpt-4.1', object: 'model', created: 1, owned_by: 'openai' }] });
  if (p.startsWith('/v1/models/')) return json(res, 200, { id: decodeURIComponent(p.slice(11)), object: 'model', created: 1, owned_by: 'openai' });
  if (p === '/v1/fine_tuning/jobs') return json(res, 200, { object: 'list', data: [], has_more: false });
  if (p === '/v1/batches' && req.method === 'POST') return json(res, 200, { id: 'batch_1', object: 'batch', endpoint: '/v1/chat/completions', status: 'validating', input_file_id: 'file-1', completion_window: '24h', created_at: 1 });
  json(res, 404, { error: { message: `no route ${req.method} ${p}`, type: 'invalid_request_error', code: null, param: null } });
});
const fetch = createFetch({ endpoints: [{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }] });
const direct = new OpenAI({ apiKey: UPKEY, baseURL: up.url, maxRetries: 0 });
const via = new OpenAI({ apiKey: 'unused', fetch, maxRetries: 0 });

const calls = {
  embeddings_default_base64: (c) => c.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] }),
  embeddings_float: (c) => c.embeddings.create({ model: 'text-embedding-3-small', input: 'a', encoding_format: 'float' }),
  moderations: (c) => c.moderations.create({ model: 'omni-moderation-latest', input: 'x' }),
  files_create: async (c) => c.files.create({ file: await toFile(Buffer.from('{"a":1}\n'), 'a.jsonl'), purpose: 'batch' }),
  files_list: (c) => c.files.list({ purpose: 'batch', limit: 2 }),
  speech: async (c) => { const r = await c.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input: 'hi' }); return [...new Uint8Array(await r.arrayBuffer())]; },
  transcription_text: async (c) => c.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(Buffer.from('RIFFxxxxWAVE'), 'a.wav'), response_format: 'text' }),
  images: (c) => c.images.generate({ model: 'gpt-image-1', prompt: 'x' }),
  models_list: async (c) => (await c.models.list()).data,
  models_retrieve_slash: (c) => c.models.retrieve('openai/gpt-4.1'),
  finetune_list: (c) => c.fineTuning.jobs.list({ limit: 3, after: 'ftjob-1' }),
  batches: (c) => c.batches.create({ input_file_id: 'file-1', endpoint: '/v1/chat/completions', completion_window: '24h' }),
};
const strip = (s) => { const h = { ...s.headers }; for (const k of ['authorization', 'host', 'connection', 'accept-encoding', 'accept-language', 'sec-fetch-mode', 'user-agent']) delete h[k]; for (const k of Object.keys(h)) if (k.startsWith('x-stainless')) delete h[k]; return { method: s.method, url: s.url, headers: h, bodyLen: s.raw.length, bodyHead: s.body.slice(0, 120) }; };
for (const [name, call] of Object.entries(calls)) {
  let d, v;
  try { d = await call(direct); } catch (e) { d = `THROWS ${e.constructor.name} ${e.status ?? ''} ${e.message}`; }
  const ds = strip(up.seen.at(-1));
  const n = up.seen.length;
  try { v = await call(via); } catch (e) { v = `THROWS ${e.constructor.name} ${e.status ?? ''} ${e.message}`; }
  const vs = up.seen.length > n ? strip(up.seen.at(-1)) : 'NOTHING REACHED UPSTREAM';
  const sameReq = JSON.stringify({ ...ds, headers: { ...ds.headers, 'content-type': (ds.headers['content-type'] || '').replace(/boundary=.*/, 'boundary=*') }, bodyHead: ds.bodyHead.replace(/-{2,}[-\w]+/g, 'B') }) === JSON.stringify({ ...vs, headers: { ...vs.headers, 'content-type': (vs.headers?.['content-type'] || '').replace(/boundary=.*/, 'boundary=*') }, bodyHead: vs.bodyHead?.replace(/-{2,}[-\w]+/g, 'B') });
  const sameRes = JSON.stringify(d) === JSON.stringify(v);
  show(`${name}`, `request same=${sameReq} result same=${sameRes}`);
  if (!sameReq) { show('   direct req ', ds); show('   via req    ', vs); }
  if (!sameRes) { show('   direct res ', d); show('   via res    ', v); }
}
await fetch.router.close?.(); await up.close();
