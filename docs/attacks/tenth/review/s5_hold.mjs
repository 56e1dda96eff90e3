// Rescue vs maxResponseBytes: N chunks of 100 chars then a cut; B replays. Chat and Messages.
import { upstream, node, sleep } from '../routing/lib.mjs';
const N = Number(process.env.N ?? 5);
const text = (i) => String(i).padStart(100, 'x');
const chunk = (c) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: c }, finish_reason: null }] })}\n\n`;
const fin = `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
const mev = (t, o) => `event: ${t}\ndata: ${JSON.stringify({ type: t, ...o })}\n\n`;
const msgs = (n, end) => mev('message_start', { message: { id: 'msg', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 1, output_tokens: 0 } } }) + mev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + Array.from({ length: n }, (_, i) => mev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: text(i) } })).join('') + (end ? mev('content_block_stop', { index: 0 }) + mev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }) + mev('message_stop', {}) : '');
const A = await upstream('A', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.write(q.url.includes('messages') ? msgs(N, false) : Array.from({ length: N }, (_, i) => chunk(text(i))).join('')); await sleep(50); s.destroy(); });
const B = await upstream('B', async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(q.url.includes('messages') ? msgs(N + 2, true) : Array.from({ length: N + 2 }, (_, i) => chunk(text(i))).join('') + fin); });
const router = node.createRouter({ endpoints: [{ name: 'A', baseUrl: A.url, apis: ['chat', 'messages'] }, { name: 'B', baseUrl: B.url, priority: 1, apis: ['chat', 'messages'], continuation: 'none' }], maxResponseBytes: 1000 });
router.subscribe((e) => { if (e.type === 'stream-rescue') console.log('  event stream-rescue', e.outcome, e.reason); });
for (const [path, body] of [['/chat/completions', { model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] }], ['/messages', { model: 'm', max_tokens: 9, stream: true, messages: [{ role: 'user', content: 'x' }] }]]) {
  const r = await router.send({ path, body: JSON.stringify(body) });
  let bytes = 0; let out;
  try { for await (const c of r.stream) bytes += c.length; out = 'complete'; } catch (e) { out = 'error ' + e.code; }
  console.log(`${path} N=${N} (×100 chars, maxResponseBytes 1000): ${out}, ${bytes} bytes`);
}
A.close(); B.close(); process.exit(0);
