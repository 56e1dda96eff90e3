// More SSE variants: multi-line data after the first event (mid-stream), Messages and Responses streams a real server sends.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { createFetch } from '@detour/node';
import { upstream, gateway, GW_KEY, hardStop } from './lib.mjs';
hardStop(120000);
const quiet = { error() {}, warn() {}, info() {}, debug() {} };
const chunk = (content, finish = null) => ({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] });
const ml = (o) => JSON.stringify(o, null, 2).split('\n').map((l) => `data: ${l}`).join('\n') + '\n\n';
const variants = {
  chat_multiline_after_first: `data: ${JSON.stringify(chunk('Hel'))}\n\n` + ml(chunk('lo')) + ml(chunk(null, 'stop')) + 'data: [DONE]\n\n',
};
const msg = [
  ['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ['ping', { type: 'ping' }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }],
  ['message_stop', { type: 'message_stop' }],
];
const messagesMultiline = msg.map(([e, d]) => `event: ${e}\n` + ml(d)).join('');
const messagesCompact = msg.map(([e, d]) => `event: ${e}\ndata: ${e === 'ping' ? '{"type": "ping"}' : JSON.stringify(d)}\n\n`).join('');
let current;
const up = await upstream((req, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(current); });
const gw = await gateway({ endpoints: [
  { name: 'oai', baseUrl: `${up.url}/v1`, apiKey: 'sk-test-aaaaBBBB1111cccc2222', provider: 'other' },
  { name: 'ant', baseUrl: `${up.url}/v1`, apiKey: 'sk-ant-test-aaaaBBBB1111cccc2222', provider: 'anthropic' },
], router: { maxAttempts: 1 } });
const f = createFetch({ endpoints: [{ name: 'only', baseUrl: `${up.url}/v1`, apiKey: 'sk-test-aaaaBBBB1111cccc2222' }], maxAttempts: 1 });
const runChat = async (c) => { let t = ''; try { for await (const x of await c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true })) t += x.choices?.[0]?.delta?.content ?? ''; return `ok ${JSON.stringify(t)}`; } catch (e) { return `ERROR after ${JSON.stringify(t)}: ${e.constructor.name} ${String(e.message).slice(0, 150)}`; } };
const runMsg = async (c) => { try { const s = c.messages.stream({ model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }); const m = await s.finalMessage(); return `ok ${JSON.stringify(m.content[0]?.text)}`; } catch (e) { return `ERROR: ${e.constructor.name} ${String(e.message).slice(0, 150)}`; } };
current = variants.chat_multiline_after_first;
console.log('chat_multiline_after_first');
for (const [l, c] of Object.entries({ direct: new OpenAI({ baseURL: `${up.url}/v1`, apiKey: 'x', maxRetries: 0, logger: quiet }), gateway: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: GW_KEY, maxRetries: 0, logger: quiet }), createFetch: new OpenAI({ baseURL: `${up.url}/v1`, apiKey: 'x', fetch: f, maxRetries: 0, logger: quiet }) })) console.log(`  ${l.padEnd(11)} ${await runChat(c)}`);
for (const [name, body] of [['messages_compact', messagesCompact], ['messages_multiline', messagesMultiline]]) {
  current = body;
  console.log(name);
  for (const [l, c] of Object.entries({ direct: new Anthropic({ baseURL: up.url, apiKey: 'x', maxRetries: 0 }), gateway: new Anthropic({ baseURL: gw.url, apiKey: GW_KEY, maxRetries: 0 }), createFetch: new Anthropic({ baseURL: up.url + '', apiKey: 'x', fetch: createFetch({ endpoints: [{ name: 'a', baseUrl: `${up.url}/v1`, apiKey: 'sk-ant-test-aaaaBBBB1111cccc2222', provider: 'anthropic' }], maxAttempts: 1 }), maxRetries: 0 }) })) console.log(`  ${l.padEnd(11)} ${await runMsg(c)}`);
}
await gw.stop(); await up.close(); process.exit(0);
