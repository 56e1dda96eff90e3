// (a) A GET whose answer is a redirect to storage (files.content -> 302 Location: <storage>): Detour relays the 302
// (run-attempt.ts: "A GET of a file may be sent to storage … relayed as it came"). What does the SDK make of it,
// compared with a plain fetch, which follows redirects?
// (b) Body-less model paths with a per-endpoint model map: models.retrieve('gpt-4.1') where the endpoint calls it
// 'openai/gpt-4.1'.
import { load, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(60000);
const { createFetch, OpenAI } = await load();

const storage = await fakeUpstream('storage', (rec, req, res) => { res.writeHead(200, { 'content-type': 'application/octet-stream' }); res.end('FILE-BYTES'); });
const up = await fakeUpstream('up', (rec, req, res) => {
  if (rec.url.startsWith('/v1/files/')) { res.writeHead(302, { location: `http://127.0.0.1:${storage.port}/blob/abc?sig=xyz` }); return res.end(); }
  if (rec.url === '/v1/models/openai/gpt-4.1') return json(res, 200, { id: 'openai/gpt-4.1', object: 'model', created: 1, owned_by: 'openai' });
  json(res, 404, { error: { message: `The model '${rec.url.split('/').pop()}' does not exist`, type: 'invalid_request_error', code: 'model_not_found' } });
});
const fetch = createFetch({ endpoints: [{ name: 'router', baseUrl: up.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', models: { 'gpt-4.1': 'openai/gpt-4.1' } }] });
const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });
const direct = new OpenAI({ apiKey: 'unused', maxRetries: 0, baseURL: up.url });
for (const [via, c] of [['detour', client], ['direct', direct]]) {
  try { const r = await c.files.content('file-1'); console.log(`(a) files.content via ${via}: ${r.status} body=${JSON.stringify(await r.text())}`); } catch (e) { console.log(`(a) files.content via ${via}: ${e.constructor.name} ${e.status} ${String(e.message).slice(0, 100)}`); }
}
console.log('(a) storage requests:', storage.log.length, storage.log.map((r) => `auth=${r.headers.authorization ?? 'none'}`));
try { const m = await client.models.retrieve('gpt-4.1'); console.log('(b) models.retrieve(gpt-4.1) via detour:', m.id); } catch (e) { console.log('(b) models.retrieve(gpt-4.1) via detour:', e.status, String(e.message).slice(0, 100), '| upstream path', up.log.at(-1).url); }
await fetch.router.close();
await Promise.all([storage.close(), up.close()]);
