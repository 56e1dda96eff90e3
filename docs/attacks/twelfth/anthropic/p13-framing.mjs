// SSE framing variants of a complete, valid Messages stream (CRLF, CR, no space after colon, no event: lines, reset after message_stop), and a 200 JSON error body
import Anthropic from '@anthropic-ai/sdk';
import { raw, json, okMsg, anthErr, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(40000);
const evs = [
  ['message_start', { type: 'message_start', message: { id: 'msg_p', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }],
  ['ping', { type: 'ping' }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello from p' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }],
  ['message_stop', { type: 'message_stop' }],
];
const variants = {
  'LF (baseline)': { text: evs.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('') },
  'CRLF': { text: evs.map(([e, d]) => `event: ${e}\r\ndata: ${JSON.stringify(d)}\r\n\r\n`).join('') },
  'CR only': { text: evs.map(([e, d]) => `event: ${e}\rdata: ${JSON.stringify(d)}\r\r`).join('') },
  'no space after colon': { text: evs.map(([e, d]) => `event:${e}\ndata:${JSON.stringify(d)}\n\n`).join('') },
  'data-only (no event lines)': { text: evs.map(([e, d]) => `data: ${JSON.stringify(d)}\n\n`).join('') },
  'pretty JSON split over data lines': { text: evs.map(([e, d]) => `event: ${e}\n` + JSON.stringify(d, null, 1).split('\n').map((l) => `data: ${l}`).join('\n') + '\n\n').join('') },
  'reset right after message_stop': { text: evs.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join(''), reset: true },
  'message_stop without trailing blank line then close': { text: evs.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('').replace(/\n\n$/, '\n') },
};
for (const via of ['fetch', 'gateway']) for (const [label, v] of Object.entries(variants)) {
  const p = await raw('p', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(v.text); if (v.reset) setTimeout(() => res.destroy(), 20); else res.end(); });
  const b = await raw('b', (req, body, res) => json(res, 500, anthErr('api_error', 'b down')));
  let client, gw;
  if (via === 'fetch') client = new Anthropic({ apiKey: 'unused', fetch: createFetch({ endpoints: endpointsFor([p, b]) }), maxRetries: 0 });
  else { gw = await gateway([p, b]); client = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 }); }
  let out;
  try { const m = await client.messages.stream(ask).finalMessage(); out = `OK ${JSON.stringify(m.content)} ${m.stop_reason}`; } catch (e) { out = `THROW ${e.constructor.name} ${e.message.slice(0, 160)}`; }
  console.log(`[${via}] ${label}: ${out} | pHits=${p.reqs.length} bHits=${b.reqs.length}`);
  if (gw) await gw.close(); p.close(); b.close();
}
// 200 JSON whose body is an Anthropic error object
for (const via of ['fetch', 'gateway']) {
  const p = await raw('p', (req, body, res) => json(res, 200, anthErr('overloaded_error', 'Overloaded')));
  const b = await raw('b', (req, body, res) => json(res, 200, okMsg('from b')));
  let client, gw;
  if (via === 'fetch') client = new Anthropic({ apiKey: 'unused', fetch: createFetch({ endpoints: endpointsFor([p, b]) }), maxRetries: 0 });
  else { gw = await gateway([p, b]); client = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 }); }
  try { const m = await client.messages.create(ask); console.log(`[${via}] 200 + Anthropic error body: got`, JSON.stringify(m).slice(0, 120), `bHits=${b.reqs.length}`); } catch (e) { console.log(`[${via}] 200 + error body: THROW`, e.constructor.name, e.message.slice(0, 100)); }
  if (gw) await gw.close(); p.close(); b.close();
}
process.exit(0);
