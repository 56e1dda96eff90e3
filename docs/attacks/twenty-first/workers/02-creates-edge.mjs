// Creating calls through @detour/edge's createFetch inside workerd with the real SDKs (edge-worker.mjs).
// Upstream A creates and then fails ambiguously (500 / reset after reading / slow past attemptTimeoutMs), or A's
// port is closed (refused): how many resources for ONE SDK call?
import net from 'node:net';
import { edgeInWorkerd, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(300000);
const created = { A: [], B: [] };
let mode = 'ok';
const mk = (name) => fakeUpstream(name, (rec, rq, res) => {
  if (rec.method === 'GET') return json(res, 200, { object: 'list', data: [], has_more: false });
  const id = `${rec.url.split('/').slice(2).join('_')}-${name}-${created[name].length + 1}`;
  created[name].push(`${rec.method} ${rec.url}`);
  if (name === 'A') {
    if (mode === '500') return json(res, 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
    if (mode === 'reset') return rq.socket.destroy();
    if (mode === 'slow') return setTimeout(() => json(res, 200, { id, object: 'x' }), 1500);
  }
  json(res, 200, { id, object: 'x', type: 'message_batch', data: [{ url: 'x' }], created: 1 });
});
const A = await mk('A'); const B = await mk('B');
const closed = await new Promise((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const w = await edgeInWorkerd(new URL('./edge-worker.mjs', import.meta.url).pathname);
const eps = (aUrl, two) => [
  // both speak both dialects, so the Anthropic SDK's batch goes to them too
  { name: 'A', baseUrl: aUrl, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', priority: 0, apis: ['chat', 'responses', 'messages'] },
  ...(two ? [{ name: 'B', baseUrl: B.url, apiKey: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', priority: 1, apis: ['chat', 'responses', 'messages'] }] : []),
];
const scenarios = [
  ['A 500 after creating', '500', eps(A.url, true), {}],
  ['A resets after reading the body', 'reset', eps(A.url, true), {}],
  ['A slow 1.5 s, attemptTimeoutMs 500', 'slow', eps(A.url, true), { attemptTimeoutMs: 500 }],
  ['single endpoint, A resets after reading', 'reset', eps(A.url, false), {}],
  ['A refuses (port closed), B healthy', 'ok', eps(`http://127.0.0.1:${closed}/v1`, true), {}],
];
const only = process.argv[2];
for (const [label, m, endpoints, options] of scenarios) {
  for (const call of ['files.create', 'batches.create', 'fineTuning.jobs.create', 'uploads.create', 'vectorStores.create', 'anthropic messages.batches.create', 'images.generate']) {
    if (only && !call.includes(only)) continue;
    mode = m; created.A = []; created.B = [];
    const r = await (await fetch(`${w.url}/run`, { method: 'POST', body: JSON.stringify({ endpoints, options, call }) })).json();
    await new Promise((res) => setTimeout(res, 1700));
    const n = created.A.length + created.B.length;
    console.log(`[workerd createFetch] [${label}] ${call}: ${r.ok ? `ok ${r.status} id=${r.id} endpoint=${r.endpoint} attempts=${r.attempts}` : `error ${r.status} ${r.error}`}\n    created: ${n}${n > 1 ? ' <== DUPLICATED' : ''} A=${created.A.length} B=${created.B.length}  events=${JSON.stringify(r.events)}`);
  }
}
await w.close();
await Promise.all([A.close(), B.close()]);
process.exit(0);
