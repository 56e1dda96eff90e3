// Same upstream as p14 (message_stop without its final blank line, then close), read with plain fetch / createFetch, bytes capped
// Usage: node p15-oom-raw.mjs fetch|gateway
import { raw, json, anthErr, ask, createFetch, endpointsFor, gateway } from './lib.mjs';
const mode = process.argv[2];
setTimeout(() => { console.log('TIMEOUT 15s heapMB', Math.round(process.memoryUsage().heapUsed / 1e6)); process.exit(2); }, 15000).unref();
const evs = [
  ['message_start', { type: 'message_start', message: { id: 'msg_p', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello from p' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }],
  ['message_stop', { type: 'message_stop' }],
];
const text = evs.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('').replace(/\n\n$/, '\n');
const p = await raw('p', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(text); });
const b = await raw('b', (req, body, res) => json(res, 500, anthErr('api_error', 'b down')));
let f = createFetch({ endpoints: endpointsFor(process.argv[3] === 'one' ? [p] : [p, b]), ...(process.argv[4] === 'norescue' ? { rescue: 'off' } : {}) }), url = 'https://api.anthropic.com/v1/messages', headers = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
if (mode === 'gateway') { const gw = await gateway([p, b]); f = fetch; url = gw.url + '/v1/messages'; headers['x-api-key'] = 'gk-test'; }
const res = await f(url, { method: 'POST', headers, body: JSON.stringify({ ...ask, stream: true }) });
console.log('status', res.status);
const reader = res.body.getReader(); let total = 0; let head = ''; let chunks = 0; const t = Date.now();
try {
  for (;;) { const { done, value } = await reader.read(); if (done) break; total += value.length; chunks++; if (head.length < 3000) head += Buffer.from(value).toString(); if (total > 5e6) { console.log('!! more than 5 MB received for a 1 kB upstream stream, after', Date.now() - t, 'ms, chunks', chunks); break; } }
  console.log('ended; total bytes', total);
} catch (e) { console.log('read error', e.message, 'after bytes', total); }
console.log('first bytes:\n' + head.slice(0, 1500));
console.log('...last part of head:', JSON.stringify(head.slice(-300)));
process.exit(0);
