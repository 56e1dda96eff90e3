// F15-3: a Messages stream without message_start (or with content_block_start before it) ends cleanly through the
// gateway; the Anthropic SDK's raw iterator completes; its stream helper? node repro-messages-no-start.mjs
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { loadConfig, startGateway } from '../dist/index.js';
const ev = (type, o) => `event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`;
const start = ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } });
const rest = [ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }), ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello world.' } }), ev('content_block_stop', { index: 0 }), ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } }), ev('message_stop', {})];
const variants = { 'no message_start': rest, 'content_block_start before message_start': [rest[0], start, ...rest.slice(1)] };
let cur; const hits = [];
const up = http.createServer((req, res) => { req.resume(); req.on('end', () => { hits.push(req.url); res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(req.url.startsWith('/b/') ? [start, ...rest].join('') : cur.join('')); }); });
await new Promise((r) => up.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${up.address().port}`;
const endpoints = [{ name: 'a', provider: 'anthropic', baseUrl: `${base}/a/v1`, apiKey: 'sk-a-0123456789' }, { name: 'b', provider: 'anthropic', baseUrl: `${base}/b/v1`, apiKey: 'sk-b-0123456789' }];
const gw = await startGateway({ config: loadConfig({ endpoints: process.env.ONE ? endpoints.slice(0, 1) : endpoints, gatewayKeys: ['gk-test-123456789'] }, {}), accessLog: () => {} });
const client = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test-123456789', maxRetries: 0 });
const params = { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
for (const [name, evs] of Object.entries(variants)) {
  cur = evs;
  hits.length = 0; let text = '';
  try { const s = await client.messages.create({ ...params, stream: true }); for await (const e of s) if (e.type === 'content_block_delta') text += e.delta.text; console.log(`${name}, create({stream:true}): completed, text ${JSON.stringify(text)}, hits ${hits}`); } catch (e) { console.log(`${name}, create({stream:true}): threw ${e.constructor.name} ${e.message.slice(0, 120)}, hits ${hits}`); }
  hits.length = 0;
  try { const m = await client.messages.stream(params).finalMessage(); console.log(`${name}, stream().finalMessage(): ${JSON.stringify(m.content)}, hits ${hits}`); } catch (e) { console.log(`${name}, stream().finalMessage(): threw ${e.constructor.name}: ${e.message.slice(0, 120)}, hits ${hits}`); }
}
await gw.close(0); up.close(); process.exit(0);
