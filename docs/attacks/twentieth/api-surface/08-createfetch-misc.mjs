// createFetch: (1) multipart requests ignore endpoints' `models` (routing and renaming) while JSON requests on the
// same kind of route honour it; (2) Responses retrieve goes back to the storage that made the id, even under 429;
// (3) Anthropic SDK non-messages calls: countTokens, models.list, messages.batches.create with a 500 after creation.
import { load, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(90000);
const { createFetch, OpenAI, Anthropic } = await load();
const { toFile } = await import(`${process.argv[2] ?? '/tmp/attack20b'}/packages/node/node_modules/openai/index.mjs`);

// (1) chat-only endpoint (models restricted to chat models, priority 0) and an audio endpoint that maps whisper-1
const okAll = (name) => (rec, req, res) => {
  if (rec.url.includes('/audio/speech')) { res.writeHead(200, { 'content-type': 'audio/mpeg' }); return res.end(Buffer.from([1, 2, 3])); }
  json(res, 200, { text: `served by ${name}` });
};
const chatOnly = await fakeUpstream('chatOnly', okAll('chatOnly'));
const audio = await fakeUpstream('audio', okAll('audio'));
const f1 = createFetch({ endpoints: [
  { name: 'chatOnly', baseUrl: chatOnly.url, apiKey: 'sk-cccccccccccccccccccccc', priority: 0, models: ['gpt-4.1'] },
  { name: 'audio', baseUrl: audio.url, apiKey: 'sk-dddddddddddddddddddddd', priority: 1, models: { 'whisper-1': 'whisper-large-v3', 'tts-1': 'playai-tts' } },
] });
const c1 = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch: f1 });
const sp = await c1.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' }).withResponse();
console.log('(1) JSON speech tts-1 -> endpoint', sp.response.headers.get('x-detour-endpoint'), '; upstream model sent:', JSON.parse(audio.log.at(-1)?.body ?? '{}').model);
const tr = await c1.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(Buffer.from('RIFFxxxx'), 'a.wav') }).withResponse();
const trRec = [...chatOnly.log, ...audio.log].find((r) => r.url.includes('transcriptions'));
console.log('(1) multipart transcription whisper-1 -> endpoint', tr.response.headers.get('x-detour-endpoint'), '; upstream got model field:', /name="model"\r\n\r\n([^\r]*)/.exec(trRec.body.toString('latin1'))?.[1], 'at', trRec.name);
await f1.router.close();

// (2) Responses pinning under 429
let throttle = false;
const respA = await fakeUpstream('A', (rec, req, res) => {
  if (throttle) return json(res, 429, { error: { message: 'Rate limit', code: 'rate_limit_exceeded' } }, { 'retry-after': '1' });
  if (rec.url === '/v1/responses') return json(res, 200, { id: 'resp_A1', object: 'response', status: 'completed', output: [], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } });
  json(res, 200, { id: 'resp_A1', object: 'response', status: 'completed', output: [] });
});
const respB = await fakeUpstream('B', (rec, req, res) => json(res, 404, { error: { message: 'Response not found', type: 'invalid_request_error' } }));
const f2 = createFetch({ endpoints: [
  { name: 'A', baseUrl: respA.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', priority: 0 },
  { name: 'B', baseUrl: respB.url, apiKey: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', priority: 1 },
] });
const c2 = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch: f2 });
const r = await c2.responses.create({ model: 'gpt-4.1', input: 'hi' });
throttle = true;
try { await c2.responses.retrieve(r.id); console.log('(2) retrieve under 429: ok?'); } catch (e) { console.log('(2) retrieve under 429:', e.status, e.message.slice(0, 100)); }
console.log('(2) B saw', respB.log.length, 'requests (expected 0)');
await f2.router.close();

// (3) Anthropic SDK through createFetch
let failAfterCreate = true;
const made = [];
const antHandler = (name) => (rec, req, res) => {
  if (rec.url.startsWith('/v1/messages/count_tokens')) return json(res, 200, { input_tokens: 3 });
  if (rec.url.startsWith('/v1/messages/batches') && rec.method === 'POST') {
    made.push(name);
    if (name === 'claude' && failAfterCreate) return json(res, 500, { type: 'error', error: { type: 'api_error', message: 'Internal server error' } });
    return json(res, 200, { id: `msgbatch_${name}`, type: 'message_batch', processing_status: 'in_progress', request_counts: {} });
  }
  if (rec.url.startsWith('/v1/models')) return json(res, 200, { data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'C', created_at: '2025-01-01T00:00:00Z' }], has_more: false, first_id: null, last_id: null });
  json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'nf' } });
};
const ant1 = await fakeUpstream('claude', antHandler('claude'));
const ant2 = await fakeUpstream('claude-2', antHandler('claude-2'));
const f3 = createFetch({ endpoints: [
  { name: 'claude', provider: 'anthropic', baseUrl: ant1.url, apiKey: 'sk-ant-1111111111111111111', priority: 0 },
  { name: 'claude-2', provider: 'anthropic', baseUrl: ant2.url, apiKey: 'sk-ant-2222222222222222222', priority: 1 },
] });
const c3 = new Anthropic({ apiKey: 'unused', maxRetries: 0, fetch: f3 });
console.log('(3) countTokens:', JSON.stringify(await c3.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] })));
const ml = await c3.models.list();
console.log('(3) models.list:', ml.data.map((m) => m.id));
const b = await c3.messages.batches.create({ requests: [{ custom_id: 'a', params: { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] } }] }).withResponse();
console.log('(3) messages.batches.create (claude answers 500 after creating): SDK got', b.data.id, 'attempts', b.response.headers.get('x-detour-attempts'), '; batches created upstream:', made);
await f3.router.close();
await Promise.all([chatOnly.close(), audio.close(), respA.close(), respB.close(), ant1.close(), ant2.close()]);
