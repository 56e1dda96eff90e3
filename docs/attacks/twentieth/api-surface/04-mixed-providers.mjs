// The root README's own config shape: an OpenAI endpoint and an Anthropic endpoint at the same priority in ONE
// createFetch, shared by the openai SDK and the Anthropic SDK. Routes that belong to no API (models, files, audio,
// images, moderations, batches) "are routed to every endpoint". Which upstream does each call reach?
import { load, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(90000);
const { createFetch, OpenAI, Anthropic } = await load();

const oa = await fakeUpstream('openai', (rec, req, res) => {
  if (rec.url.startsWith('/v1/models')) return json(res, 200, { object: 'list', data: [{ id: 'gpt-4.1', object: 'model', created: 1, owned_by: 'openai' }] });
  if (rec.url.startsWith('/v1/audio/speech')) { res.writeHead(200, { 'content-type': 'audio/mpeg' }); return res.end(Buffer.from([0xff, 0xfb, 1, 2, 3])); }
  if (rec.url.startsWith('/v1/moderations')) return json(res, 200, { id: 'modr-1', model: 'omni', results: [{ flagged: false }] });
  json(res, 200, { id: 'x', object: 'list', data: [] });
});
// Anthropic's real API: /v1/models exists (Anthropic shape), every OpenAI-only route is a 404 not_found_error.
const an = await fakeUpstream('anthropic', (rec, req, res) => {
  if (rec.url.startsWith('/v1/models')) return json(res, 200, { data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude', created_at: '2025-01-01T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-5', last_id: 'claude-sonnet-4-5' });
  if (rec.url.startsWith('/v1/files')) return json(res, 200, { data: [{ id: 'file_ant_1', type: 'file', filename: 'secret.pdf' }], has_more: false }); // Anthropic has a Files API too
  json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
});
const fetch = createFetch({ endpoints: [
  { name: 'openai', baseUrl: oa.url, apiKey: 'sk-openai-aaaaaaaaaaaaaaaa', priority: 0 },
  { name: 'claude', baseUrl: an.url, apiKey: 'sk-ant-bbbbbbbbbbbbbbbbbbbb', provider: 'anthropic', priority: 0 },
] });
const openai = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });
const claude = new Anthropic({ apiKey: 'unused', maxRetries: 0, fetch });

const tally = async (label, n, fn) => {
  const seen = {};
  for (let i = 0; i < n; i++) {
    let key;
    try {
      const { data, response } = await fn().withResponse();
      key = `200 via ${response.headers.get('x-detour-endpoint')} attempts=${response.headers.get('x-detour-attempts')} first=${JSON.stringify(data?.data?.[0] ?? data?.results ?? (data instanceof Response ? 'binary' : data)).slice(0, 60)}`;
    } catch (e) { key = `ERROR ${e.status} ${String(e.message).slice(0, 80)}`; }
    seen[key] = (seen[key] ?? 0) + 1;
  }
  console.log(label, seen);
};
await tally('openai models.list x10', 10, () => openai.models.list());
await tally('openai files.list x10', 10, () => openai.files.list());
await tally('openai audio.speech.create x6', 6, () => openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' }));
await tally('openai moderations.create x6', 6, () => openai.moderations.create({ input: 'hi' }));
await tally('anthropic models.list x10', 10, () => claude.models.list());
console.log('anthropic upstream received (method path, key header):');
const byRoute = {};
for (const r of an.log) { const k = `${r.method} ${r.url} x-api-key=${r.headers['x-api-key'] ? 'anthropic key' : 'none'} authorization=${r.headers.authorization ?? 'none'}`; byRoute[k] = (byRoute[k] ?? 0) + 1; }
console.log(byRoute);
const byRouteO = {};
for (const r of oa.log) { const k = `${r.method} ${r.url} anthropic-version=${r.headers['anthropic-version'] ?? 'none'}`; byRouteO[k] = (byRouteO[k] ?? 0) + 1; }
console.log('openai upstream received:', byRouteO);
await fetch.router.close();
await Promise.all([oa.close(), an.close()]);
