// Variant trigger: text events and a mid-stream error event arrive in ONE chunk (createFetch, rescue on, backup healthy).
// Usage: node p17-error-same-chunk.mjs [cut]   (cut: the same chunk but the connection closes instead of an error event)
import Anthropic from '@anthropic-ai/sdk';
import { raw, sse, ask, createFetch, endpointsFor } from './lib.mjs';
setTimeout(() => { console.log('TIMEOUT (event loop alive)'); process.exit(2); }, 8000).unref();
const start = (id) => ['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }];
const bs = ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }];
const td = (t) => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } }];
const err = ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }];
const full = [start('b'), bs, td('Hello '), td('world.'), ['content_block_stop', { type: 'content_block_stop', index: 0 }], ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }], ['message_stop', { type: 'message_stop' }]];
const cut = process.argv[2] === 'cut';
const p = await raw('p', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(sse([start('p')])); setTimeout(() => { res.write(sse(cut ? [bs, td('Hello ')] : [bs, td('Hello '), err])); setTimeout(() => (cut ? res.destroy() : res.end()), 30); }, 30); });
const b = await raw('b', (req, body, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(sse(full)); });
const client = new Anthropic({ apiKey: 'unused', fetch: createFetch({ endpoints: endpointsFor([p, b]) }), maxRetries: 0 });
try { const m = await client.messages.stream(ask).finalMessage(); console.log('OK', JSON.stringify(m.content), m.stop_reason); } catch (e) { console.log('THROW', e.constructor.name, e.message.slice(0, 150)); }
process.exit(0);
