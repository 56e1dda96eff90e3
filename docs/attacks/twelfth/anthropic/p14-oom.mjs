// Isolates: a complete Messages stream whose last event (message_stop) lacks the final blank line, then the upstream closes.
// Usage: node p14-oom.mjs direct|fetch|gateway [crOnly]
import Anthropic from '@anthropic-ai/sdk';
import { raw, json, anthErr, ask, createFetch, endpointsFor, gateway } from './lib.mjs';
const mode = process.argv[2]; const cr = process.argv[3] === 'cr';
setTimeout(() => { console.log(mode, 'TIMEOUT after 15s; heapUsed MB', Math.round(process.memoryUsage().heapUsed / 1e6)); process.exit(2); }, 15000).unref();
setInterval(() => console.log('  heapUsed MB', Math.round(process.memoryUsage().heapUsed / 1e6)), 2000).unref();
const evs = [
  ['message_start', { type: 'message_start', message: { id: 'msg_p', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello from p' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }],
  ['message_stop', { type: 'message_stop' }],
];
const text = cr ? evs.map(([e, d]) => `event: ${e}\rdata: ${JSON.stringify(d)}\r\r`).join('')
  : evs.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('').replace(/\n\n$/, '\n');
const p = await raw('p', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(text); });
const b = await raw('b', (req, body, res) => json(res, 500, anthErr('api_error', 'b down')));
let client, gw;
if (mode === 'direct') client = new Anthropic({ baseURL: p.origin, apiKey: 'k', maxRetries: 0 });
else if (mode === 'fetch') client = new Anthropic({ apiKey: 'unused', fetch: createFetch({ endpoints: endpointsFor([p, b]) }), maxRetries: 0 });
else { gw = await gateway([p, b]); client = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 }); }
const t = Date.now();
try { const m = await client.messages.stream(ask).finalMessage(); console.log(mode, 'OK', JSON.stringify(m.content), m.stop_reason, `${Date.now() - t}ms`); } catch (e) { console.log(mode, 'THROW', e.constructor.name, e.message.slice(0, 200)); }
console.log('pHits', p.reqs.length, 'bHits', b.reqs.length);
process.exit(0);
