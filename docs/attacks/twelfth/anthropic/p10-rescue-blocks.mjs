// Rescue of Messages streams with more than one block: delivered text block 0 closed, block 1 cut; replay and continue
import Anthropic from '@anthropic-ai/sdk';
import { raw, sse, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(40000);
const start = (id, inT = 10) => ['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inT, output_tokens: 1 } } }];
const bs = (i, block = { type: 'text', text: '' }) => ['content_block_start', { type: 'content_block_start', index: i, content_block: block }];
const td = (i, text) => ['content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'text_delta', text } }];
const cd = (i) => ['content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'citations_delta', citation: { type: 'char_location', cited_text: 'x', document_index: 0, document_title: null, start_char_index: 0, end_char_index: 1 } } }];
const st = (i) => ['content_block_stop', { type: 'content_block_stop', index: i }];
const md = (reason, out) => ['message_delta', { type: 'message_delta', delta: { stop_reason: reason, stop_sequence: null }, usage: { output_tokens: out } }];
const ms = ['message_stop', { type: 'message_stop' }];
const fullB = [start('b'), bs(0), td(0, 'First block. '), st(0), bs(1), td(1, 'Second '), td(1, 'block ends.'), st(1), md('end_turn', 30), ms];
const scenarios = [
  ['2 text blocks, cut in block 1 (replay)', [start('p'), bs(0), td(0, 'First block. '), st(0), bs(1), td(1, 'Second ')], fullB, {}],
  ['2 text blocks, cut in block 1 (continue)', [start('p'), bs(0), td(0, 'First block. '), st(0), bs(1), td(1, 'Second ')], [start('b'), bs(0), td(0, 'block ends.'), st(0), md('end_turn', 5), ms], { continuation: 'anthropic' }],
  ['text with citations_delta, cut (replay)', [start('p'), bs(0, { type: 'text', text: '', citations: [] }), td(0, 'Cited '), cd(0)], [start('b'), bs(0, { type: 'text', text: '', citations: [] }), td(0, 'Cited '), cd(0), td(0, 'fact.'), st(0), md('end_turn', 30), ms], {}],
  ['server_tool_use block then text cut (replay)', [start('p'), bs(0, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }), ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' } }], st(0), bs(1), td(1, 'Result ')], fullB, {}],
  ['pause_turn full (no fault) relayed', [start('p'), bs(0), td(0, 'Working'), st(0), md('pause_turn', 3), ms], fullB, {}],
  ['refusal full (no fault) relayed', [start('p'), bs(0), td(0, 'No'), st(0), md('refusal', 3), ms], fullB, {}],
];
for (const via of ['fetch', 'gateway']) for (const [label, pe, be, ep] of scenarios) {
  const p = await raw('p', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); let i = 0; const go = () => { if (i < pe.length) { res.write(sse([pe[i++]])); setTimeout(go, 10); } else if (pe.at(-1)[0] === 'message_stop') res.end(); else res.destroy(); }; go(); });
  const b = await raw('b', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(sse(be)); });
  let client, gw;
  if (via === 'fetch') client = new Anthropic({ apiKey: 'unused', fetch: createFetch({ endpoints: endpointsFor([p, b], ep) }), maxRetries: 0 });
  else { gw = await gateway([p, b], { endpoint: ep }); client = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 }); }
  let out;
  try { const m = await client.messages.stream(ask).finalMessage(); out = `final content=${JSON.stringify(m.content)} stop=${m.stop_reason} usage=${JSON.stringify(m.usage)}`; } catch (e) { out = `THROW ${e.constructor.name} ${e.message.slice(0, 200)}`; }
  console.log(`[${via}] ${label}: ${out} | bHits=${b.reqs.length}${b.reqs[0] ? ' lastMsg=' + JSON.stringify(JSON.parse(b.reqs[0].body).messages.at(-1)) : ''}`);
  if (gw) await gw.close(); p.close(); b.close();
}
process.exit(0);
