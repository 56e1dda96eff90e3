// Continue-mode rescue of a Messages stream: delivered text = 2 text_delta events of ~100 tokens each (Anthropic packs many
// tokens per delta). Check the continuation's max_tokens and the output_tokens the caller's message_delta reports.
import Anthropic from '@anthropic-ai/sdk';
import { raw, sse, ask, createFetch, endpointsFor, deadline } from './lib.mjs';
deadline(20000);
const start = (id) => ['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }];
const bs = ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }];
const td = (t) => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } }];
const words = (n, w) => Array.from({ length: n }, () => w).join(' ') + ' ';
const d1 = words(100, 'alpha'), d2 = words(100, 'beta');
const p = await raw('p', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(sse([start('p'), bs, td(d1)])); setTimeout(() => { res.write(sse([td(d2)])); setTimeout(() => res.destroy(), 30); }, 30); });
const b = await raw('b', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(sse([start('b'), bs, td(' gamma.'), ['content_block_stop', { type: 'content_block_stop', index: 0 }], ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } }], ['message_stop', { type: 'message_stop' }]])); });
const c = new Anthropic({ apiKey: 'u', fetch: createFetch({ endpoints: endpointsFor([p, b], { continuation: 'anthropic' }) }), maxRetries: 0 });
const m = await c.messages.stream(ask).finalMessage();
const sent = JSON.parse(b.reqs[0].body);
console.log('caller max_tokens', ask.max_tokens, '| delivered ~200 words (~200+ tokens) in 2 text_delta events');
console.log('continuation request max_tokens =', sent.max_tokens, '| prefill chars =', sent.messages.at(-1).content.length);
console.log('final text words =', m.content[0].text.trim().split(/\s+/).length, '| caller usage.output_tokens =', m.usage.output_tokens);
process.exit(0);
