// Invariant (g): no hang past configured deadlines when the rescue target itself stalls (tool-call replay, reasoning replay).
import { hardStop, sse, upstream, gateway, detourFetch, endpointsFor, OpenAI, openaiChat, assemble, show, chunkOf } from './lib.mjs';
import http from 'node:http';
hardStop(120000);

const W = ['{"ci', 'ty": "Pa', 'ris"}'];
const toolAns = (id) => sse([chunkOf(id, { role: 'assistant', content: null }), chunkOf(id, { tool_calls: [{ index: 0, id: `call_${id}`, type: 'function', function: { name: 'get_weather', arguments: '' } }] }), ...W.map((a) => chunkOf(id, { tool_calls: [{ index: 0, function: { arguments: a } }] })), chunkOf(id, {}, 'tool_calls'), '[DONE]']);
const raw = toolAns('p');
const cutAt = Buffer.byteLength(raw.slice(0, raw.indexOf('\n\n', raw.indexOf('ty\\": \\"Pa')) + 2));
const router = { streamIdleTimeoutMs: 1500, firstByteTimeoutMs: 1500, deadlineMs: 6000 };
const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];

// backups: (a) headers then silence; (b) replays the first chunk of the tool call then stalls; (c) accept TCP but never answer
const stallAfter = (bytes) => async () => {
  const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'text/event-stream' }); if (bytes) res.write(bytes); /* then silence */ }); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { name: 'backup', baseUrl: `http://127.0.0.1:${server.address().port}/v1`, bodies: [], close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
};
const variants = {
  'backup sends headers then nothing': stallAfter(''),
  'backup replays part of the tool call then stalls': stallAfter(raw.slice(0, raw.indexOf('\n\n', raw.indexOf('"{\\"ci"')) + 2)),
};
for (const [name, make] of Object.entries(variants)) for (const via of ['gateway', 'createFetch']) {
  const primary = await upstream('primary', () => ({ raw, cutAt, how: 'close' }));
  const backup = await make();
  const endpoints = endpointsFor([primary, backup]);
  let client; let closeGw = async () => {};
  if (via === 'gateway') { const g = await gateway(endpoints, router); closeGw = g.close; client = new OpenAI({ baseURL: `${g.url}/v1`, apiKey: 'gk-test-123456789', maxRetries: 0, timeout: 30000 }); }
  else { const d = detourFetch(endpoints, router); client = new OpenAI({ baseURL: 'http://detour.invalid/v1', apiKey: 'unused', fetch: d.fetch, maxRetries: 0, timeout: 30000 }); }
  const t0 = Date.now();
  const r = await openaiChat(client, { model: 'gpt-4.1', messages: [{ role: 'user', content: 'w' }], tools });
  const ms = Date.now() - t0;
  console.log(`\n--- 9 ${name} | via=${via} | ${ms} ms (streamIdleTimeoutMs 1500, firstByteTimeoutMs 1500, deadlineMs 6000)`);
  show('choices', assemble(r.chunks).choices); show('error', r.error ?? 'none');
  console.log(r.error && ms < 7000 ? 'VERDICT: HELD' : `VERDICT: FAIL -- ${r.error ? 'late' : 'clean end'} after ${ms} ms`);
  await closeGw(); await primary.close(); await backup.close();
}
