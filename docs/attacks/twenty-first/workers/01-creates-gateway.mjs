// Creating calls (files.create, batches.create, fineTuning.jobs.create, uploads.create, images.generate) through the
// gateway's Workers entry in workerd vs the Node gateway, with the real openai SDK (maxRetries 0). Upstream A does
// the work and then fails ambiguously (500, reset after reading the body, slow past attemptTimeoutMs), or refuses
// the connection (port closed). Counts the resources created upstream for ONE SDK call.
import { createRequire } from 'node:module';
import net from 'node:net';
import { root, gatewayInWorkerd, gatewayInNode, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(240000);
const req = createRequire(`${root}/apps/worker/package.json`);
const { default: OpenAI, toFile } = await import(req.resolve('openai'));

const created = { A: [], B: [] };
let mode = 'ok';
const mk = (name) => fakeUpstream(name, (rec, rq, res) => {
  if (rec.method === 'GET') return json(res, 200, { object: 'list', data: [] });
  const id = `${rec.url.split('/').slice(2).join('_')}-${name}-${created[name].length + 1}`;
  created[name].push(`${rec.method} ${rec.url}`);
  if (name === 'A') {
    if (mode === '500') return json(res, 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
    if (mode === 'reset') return rq.socket.destroy();
    if (mode === 'slow') return setTimeout(() => json(res, 200, { id, object: 'response', status: 'completed', model: 'gpt-4.1', output: [] }), 1500);
  }
  json(res, 200, { id, object: 'response', status: 'completed', model: 'gpt-4.1', output: [], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } });
});
const A = await mk('A'); const B = await mk('B');
// a closed port for "refused"
const closed = await new Promise((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });

const file = await toFile(Buffer.from('{"custom_id":"1"}\n'), 'in.jsonl');
// The gateway serves no files/batches/fine-tuning/uploads/images route (404 Unknown route on both entries, checked
// first); its creating calls are a background response and a response added to a conversation.
const calls = {
  'files.create (route check)': (c) => c.files.create({ purpose: 'batch', file }),
  'responses.create background': (c) => c.responses.create({ model: 'gpt-4.1', input: 'hi', background: true }),
  'responses.create conversation': (c) => c.responses.create({ model: 'gpt-4.1', input: 'hi', conversation: 'conv_123' }),
  'responses.create plain (replay allowed)': (c) => c.responses.create({ model: 'gpt-4.1', input: 'hi' }),
};
const env = { KA: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', KB: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', GW: 'gw-key' };
const cfg = (aUrl, two, extra = {}) => ({
  gatewayKeys: [{ env: 'GW' }],
  endpoints: [{ name: 'A', baseUrl: aUrl, apiKey: { env: 'KA' }, priority: 0 }, ...(two ? [{ name: 'B', baseUrl: B.url, apiKey: { env: 'KB' }, priority: 1 }] : [])],
  ...extra,
});
const scenarios = [
  ['A 500 after creating', '500', cfg(A.url, true)],
  ['A resets after reading the body', 'reset', cfg(A.url, true)],
  ['A slow 1.5 s, attemptTimeoutMs 500', 'slow', cfg(A.url, true, { router: { attemptTimeoutMs: 500 } })],
  ['single endpoint, A resets after reading (warm pooled conn first)', 'reset', cfg(A.url, false)],
  ['A refuses the connection (port closed), B healthy', 'ok', cfg(`http://127.0.0.1:${closed}/v1`, true)],
];
const which = process.argv[2] ?? 'both';
for (const [label, m, config] of scenarios) {
  for (const kind of which === 'both' ? ['workerd', 'node'] : [which]) {
    for (const [name, call] of Object.entries(calls)) {
      mode = m; created.A = []; created.B = [];
      let gw;
      try { gw = kind === 'workerd' ? await gatewayInWorkerd(config, env) : await gatewayInNode(config, env); } catch (e) { console.log(kind, 'start failed', e.message); continue; }
      const client = new OpenAI({ apiKey: 'gw-key', baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 20000 });
      if (label.includes('warm')) { mode = 'ok'; await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] }).catch(() => {}); created.A = []; mode = m; }
      let out;
      try {
        const { data, response } = await call(client).withResponse();
        out = `ok ${response.status} id=${data.id} endpoint=${response.headers.get('x-detour-endpoint')} attempts=${response.headers.get('x-detour-attempts')}`;
      } catch (e) { out = `error ${e.status ?? ''} ${String(e.message).replace(/\s+/g, ' ').slice(0, 150)}`; }
      await new Promise((r) => setTimeout(r, 1700));
      await gw.close();
      const n = created.A.length + created.B.length;
      console.log(`[${kind}] [${label}] ${name}: ${out}\n    created: ${n}${n > 1 ? ' <== DUPLICATED' : ''} A=${created.A.length} B=${created.B.length}`);
    }
  }
}
await Promise.all([A.close(), B.close()]);
process.exit(0);
