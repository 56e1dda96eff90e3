// stream:true on /v1/messages; the primary ignores "stream" and answers 200 application/json (a whole Message).
// Backup streams properly. Through createFetch + the Anthropic SDK.
import { createRequire } from 'node:module';
import { upstream, createFetch, hardTimeout } from './lib.mjs';
const require = createRequire('/tmp/atk12a/packages/node/package.json');
const Anthropic = (await import(require.resolve('@anthropic-ai/sdk'))).default;
const t = hardTimeout(30000);
const msg = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [{ type: 'text', text: 'whole answer from A' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 4 } };
const a = await upstream('a', (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(JSON.stringify(msg)); });
const sse = (t, d) => `event: ${t}\ndata: ${JSON.stringify({ type: t, ...d })}\n\n`;
const b = await upstream('b', (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(sse('message_start', { message: { ...msg, content: [], stop_reason: null } }) + sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) + sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'from BACKUP' } }) + sse('content_block_stop', { index: 0 }) + sse('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }) + sse('message_stop', {})); });
const fetch = createFetch({ endpoints: [
  { name: 'primary', provider: 'anthropic', baseUrl: `${a.url}/v1`, apiKey: 'sk-ant-PRIMARY', priority: 0 },
  { name: 'backup', provider: 'anthropic', baseUrl: `${b.url}/v1`, apiKey: 'sk-ant-BACKUP', priority: 1 }] });
const claude = new Anthropic({ apiKey: 'unused', fetch, maxRetries: 0 });
try {
  const s = await claude.messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: true });
  let n = 0; for await (const _ of s) n++;
  console.log('create({stream:true}) iterator ended cleanly with', n, 'events; a', a.log.length, 'b', b.log.length);
} catch (e) { console.log('create stream threw', e.constructor.name, String(e.message).slice(0, 120)); }
try {
  const m = await claude.messages.stream({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
  console.log('finalMessage', JSON.stringify(m).slice(0, 100));
} catch (e) { console.log('stream().finalMessage() threw', e.constructor.name, String(e.message).slice(0, 120), '; a', a.log.length, 'b', b.log.length); }
clearTimeout(t); a.close(); b.close(); process.exit(0);
