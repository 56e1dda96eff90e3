// Stream faults: raw upstream scripts; observe what the Anthropic SDK sees through createFetch and the gateway
import Anthropic from '@anthropic-ai/sdk';
import { raw, sse, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(60000);
const start = (id) => ['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }];
const ping = ['ping', { type: 'ping' }];
const tstart = (i, block = { type: 'text', text: '' }) => ['content_block_start', { type: 'content_block_start', index: i, content_block: block }];
const td = (i, text) => ['content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'text_delta', text } }];
const stop = (i) => ['content_block_stop', { type: 'content_block_stop', index: i }];
const mdelta = (reason = 'end_turn', out = 20) => ['message_delta', { type: 'message_delta', delta: { stop_reason: reason, stop_sequence: null }, usage: { output_tokens: out } }];
const mstop = ['message_stop', { type: 'message_stop' }];
const errEv = ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }];
const full = (id) => [start(id), ping, tstart(0), td(0, 'Hello '), ping, td(0, 'world, '), td(0, 'how are you?'), stop(0), mdelta(), mstop];
// primary scripts: [name, events, ending]
const thinking = [start('p'), tstart(0, { type: 'thinking', thinking: '', signature: '' }), ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think' } }], ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM' } }], stop(0), tstart(1), td(1, 'Hello ')];
const tool = [start('p'), tstart(0, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }), ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": "Par' } }]];
const scripts = [
  ['error after message_start (nothing delivered)', [start('p'), ping, errEv], 'end'],
  ['cut after message_start (nothing delivered)', [start('p'), ping], 'close'],
  ['text cut mid-answer (close)', [start('p'), ping, tstart(0), td(0, 'Hello '), ping, td(0, 'world, ')], 'close'],
  ['text error event mid-answer', [start('p'), tstart(0), td(0, 'Hello '), td(0, 'world, '), errEv], 'end'],
  ['text cut after content_block_stop', [start('p'), tstart(0), td(0, 'Hello '), td(0, 'world, '), td(0, 'how are you?'), stop(0)], 'close'],
  ['text cut after message_delta', [start('p'), tstart(0), td(0, 'Hello '), td(0, 'world, '), td(0, 'how are you?'), stop(0), mdelta()], 'close'],
  ['thinking then text cut', thinking, 'close'],
  ['tool_use cut mid input json', tool, 'close'],
  ['diverging replay (backup says other)', [start('p'), tstart(0), td(0, 'Goodbye ')], 'close'],
];
for (const via of ['fetch', 'gateway']) for (const [label, evs, ending] of scripts) {
  const p = await raw('p', (req, body, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let i = 0; const send = () => { if (i < evs.length) { res.write(sse([evs[i++]])); setTimeout(send, 15); } else if (ending === 'close') res.destroy(); else res.end(); };
    send();
  });
  const b = await raw('b', (req, body, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (label.startsWith('diverging')) res.end(sse([start('b'), tstart(0), td(0, 'Hi there'), stop(0), mdelta(), mstop]));
    else res.end(sse(full('b')));
  });
  let client, gw, f;
  if (via === 'fetch') { f = createFetch({ endpoints: endpointsFor([p, b]) }); client = new Anthropic({ apiKey: 'unused', fetch: f, maxRetries: 0 }); }
  else { gw = await gateway([p, b]); client = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 }); }
  const types = []; let text = ''; let out;
  try {
    for await (const ev of await client.messages.create({ ...ask, stream: true })) {
      types.push(ev.type + (ev.index !== undefined ? ev.index : '') + (ev.type === 'message_start' ? ':' + ev.message.id : '') + (ev.type === 'message_delta' ? ':' + ev.delta.stop_reason + '/' + ev.usage.output_tokens : ''));
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
    }
    out = 'CLEAN END';
  } catch (e) { out = `THROW ${e.constructor.name} ${e.status ?? ''} ${e.message.slice(0, 150)}`; }
  console.log(`[${via}] ${label}: ${out}\n   text=${JSON.stringify(text)} events=${types.filter(t => t !== 'ping').join(',')} pHits=${p.reqs.length} bHits=${b.reqs.length}`);
  if (gw) await gw.close(); if (f?.router?.close) await f.router.close();
  p.close(); b.close();
}
process.exit(0);
