// F15-2: a Messages stream that delivered every block and message_delta (stop_reason end_turn) and then lost only
// message_stop (clean close or reset) is failed (gateway: connection aborted; createFetch: StreamInterruptedError),
// neither ended whole (as chat's F3 fix does) nor rescued on the healthy backup. node repro-messages-cut-after-delta.mjs
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { loadConfig, startGateway } from '../dist/index.js';
import { createFetch } from '../../../packages/node/dist/index.js';
const ev = (type, o) => `event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`;
const events = [
  ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } }),
  ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello world.' } }),
  ev('content_block_stop', { index: 0 }),
  ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } }),
];
let mode; const hits = [];
const up = http.createServer((req, res) => { req.resume(); req.on('end', () => {
  hits.push(req.url);
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  if (req.url.startsWith('/b/')) { res.end(events.join('') + ev('message_stop', {})); return; }
  res.write(events.join(''));
  setTimeout(() => (mode === 'reset' ? res.socket.resetAndDestroy() : res.socket.end()), 50);
}); });
await new Promise((r) => up.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${up.address().port}`;
const endpoints = [{ name: 'a', provider: 'anthropic', baseUrl: `${base}/a/v1`, apiKey: 'sk-a-0123456789' }, { name: 'b', provider: 'anthropic', baseUrl: `${base}/b/v1`, apiKey: 'sk-b-0123456789' }];
const run = async (label, client) => {
  hits.length = 0; let text = '';
  try { const s = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: true }); for await (const e of s) if (e.type === 'content_block_delta') text += e.delta.text; console.log(`${label}: completed, text ${JSON.stringify(text)}; upstream hits ${hits}`); }
  catch (e) { console.log(`${label}: THREW ${e.constructor.name}: ${e.message.slice(0, 150)}; text so far ${JSON.stringify(text)}; upstream hits ${hits}`); }
};
for (mode of ['close', 'reset']) {
  const gw = await startGateway({ config: loadConfig({ endpoints, gatewayKeys: ['gk-test-123456789'] }, {}), accessLog: () => {} });
  await run(`gateway, ${mode} after message_delta`, new Anthropic({ baseURL: gw.url, apiKey: 'gk-test-123456789', maxRetries: 0 }));
  await gw.close(0);
  const f = createFetch({ endpoints });
  await run(`createFetch, ${mode} after message_delta`, new Anthropic({ baseURL: base, apiKey: 'x', fetch: f, maxRetries: 0 }));
}
up.close(); process.exit(0);
