// Costs with prompt caching (JSON and stream), key scrubbing in relayed errors, 429 cooldown timing, request-id
import Anthropic from '@anthropic-ai/sdk';
import { raw, json, sse, anthErr, okMsg, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(40000);
const usage = { input_tokens: 1000, output_tokens: 2000, cache_read_input_tokens: 10000, cache_creation_input_tokens: 3000, cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 } };
// claude-sonnet-4-5: in 3, cached .30, 5m 3.75, 1h 6, out 15 per MTok
const expected = (1000 * 3 + 10000 * 0.3 + 1000 * 3.75 + 2000 * 6 + 2000 * 15) / 1e6;
console.log('expected cost', expected);
const p = await raw('p', (req, body, res) => {
  const b = JSON.parse(body);
  if (b.stream) { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(sse([['message_start', { type: 'message_start', message: { ...okMsg(''), content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } }], ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }], ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } }], ['content_block_stop', { type: 'content_block_stop', index: 0 }], ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2000 } }], ['message_stop', { type: 'message_stop' }]])); return; }
  json(res, 200, okMsg('cached', usage));
});
const events = [];
const f = createFetch({ endpoints: endpointsFor([p]) }, {});
f.router.on?.('attempt', (e) => events.push(e));
const client = new Anthropic({ apiKey: 'unused', fetch: f, maxRetries: 0 });
const { response } = await client.messages.create(ask).withResponse();
console.log('fetch JSON x-detour-cost-usd', response.headers.get('x-detour-cost-usd'));
const gw = await gateway([p]);
const gc = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 });
const r2 = await gc.messages.create(ask).withResponse();
console.log('gateway JSON x-detour-cost-usd', r2.response.headers.get('x-detour-cost-usd'));
await gc.messages.stream(ask).finalMessage();
const m = await (await fetch(gw.url + '/metrics')).text();
console.log(m.split('\n').filter((l) => /detour_(cost|tokens)/.test(l) && !l.startsWith('#')).join('\n'));
await gw.close(); p.close();
process.exit(0);
