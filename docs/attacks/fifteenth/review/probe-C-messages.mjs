// C: Messages stream endings through the gateway and createFetch (Anthropic SDK 1.15). node probe-C-messages.mjs
import { upstream, gateway, createFetch, Anthropic, msgEvents, MSG_STOP, ev, GK } from './lib.mjs';
const crlf = (s) => s.replace(/\n/g, '\r\n');
const E = msgEvents();
const scen = {
  'upstream sends message_stop itself (control)': { a: [E.join('') + MSG_STOP], end: 'close' },
  'cut after message_delta, clean close': { a: [E.join('')], end: 'close' },
  'cut after message_delta, reset': { a: [E.join('')], end: 'reset' },
  'message_stop data line w/o trailing newline, close': { a: [E.join('') + 'event: message_stop\ndata: {"type":"message_stop"}'], end: 'close' },
  'message_stop event line only, close': { a: [E.join('') + 'event: message_stop\n'], end: 'close' },
  'message_stop w/o blank line, close': { a: [E.join('') + 'event: message_stop\ndata: {"type":"message_stop"}\n'], end: 'close' },
  'unnamed message_stop data, close': { a: [E.join('') + 'data: {"type":"message_stop"}\n\n'], end: 'close' },
  'error event after message_delta, close': { a: [E.join('') + ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } })], end: 'close' },
  'content_block_start after message_delta, close': { a: [E.join('') + ev('content_block_start', { index: 1, content_block: { type: 'text', text: '' } })], end: 'close' },
  'message_start #2 after message_delta, close': { a: [E.join('') + E[0]], end: 'close' },
  'CRLF, cut after message_delta': { a: [crlf(E.join(''))], end: 'close' },
  'CRLF, cut after message_delta w/o final blank line': { a: [crlf(E.join('')).replace(/\r\n$/, '')], end: 'close' },
  'CRLF full with message_stop': { a: [crlf(E.join('') + MSG_STOP)], end: 'close' },
  'hang after message_delta (idle timeout 1.5s)': { a: [E.join('')], end: 'hang' },
  'pings + comment then message_start (full)': { a: [': hi\n\n' + ev('ping') + ev('ping') + ': keep\n\n' + E.join('') + MSG_STOP], end: 'close' },
  'ping-only then close': { a: [ev('ping') + ev('ping')], end: 'close' },
  'ping then content_block_start first': { a: [ev('ping') + E.slice(1).join('') + MSG_STOP], end: 'close' },
  'first event unnamed spaced JSON content_block_delta': { a: ['data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "x"}}\n\n' + E.join('') + MSG_STOP], end: 'close' },
  'message_delta stop_reason then delta chunk then close': { a: [E.join('') + ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: ' more' } })], end: 'close' },
  'message_delta split: stop in one chunk, close mid next event': { a: [E.join(''), 'event: message_st'], end: 'close' },
};
let cur;
const u = await upstream((req, res) => {
  if (req.url.startsWith('/b/')) { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(msgEvents('FROM-B').join('') + MSG_STOP); return; }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let i = 0; const s = cur;
  const step = () => { if (i < s.a.length) { res.write(s.a[i++]); setTimeout(step, 30); return; }
    if (s.end === 'reset') res.socket.resetAndDestroy(); else if (s.end === 'close') res.socket.end(); /* hang: nothing */ };
  step();
});
const endpoints = [{ name: 'a', provider: 'anthropic', baseUrl: `${u.base}/a/v1`, apiKey: 'sk-ant-api03-AAAAaaaa1111bbbb2222' }, { name: 'b', provider: 'anthropic', baseUrl: `${u.base}/b/v1`, apiKey: 'sk-ant-api03-BBBBcccc3333dddd4444', priority: 1 }];
const run = async (client, label) => {
  u.hits.length = 0; const types = []; let text = '';
  const t = Date.now();
  try {
    const s = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    s.on('streamEvent', (e) => { types.push(e.type); if (e.type === 'content_block_delta') text += e.delta.text; });
    const m = await s.finalMessage();
    return `OK stop=${m.stop_reason} text=${JSON.stringify(m.content.map((c) => c.text).join('|'))} events=[${types.join(',')}] hits=${u.hits.map((h) => h.split(" ")[1].slice(1, 2)).join("")} ${Date.now() - t}ms`;
  } catch (e) { return `THREW ${e.constructor.name}: ${String(e.message).slice(0, 120)} events=[${types.join(',')}] text=${JSON.stringify(text)} hits=${u.hits.map((h) => h.split(" ")[1].slice(1, 2)).join("")} ${Date.now() - t}ms`; }
};
for (const [name, s] of Object.entries(scen)) {
  cur = s;
  const gw = await gateway({ endpoints, router: { streamIdleTimeoutMs: 1500 } });
  const f = createFetch({ endpoints, streamIdleTimeoutMs: 1500 });
  console.log(`## ${name}\n  gateway:     ${await run(new Anthropic({ baseURL: gw.url, apiKey: GK, maxRetries: 0 }), 'gw')}`);
  console.log(`  createFetch: ${await run(new Anthropic({ baseURL: u.base, apiKey: 'x', fetch: f, maxRetries: 0 }), 'cf')}`);
  await gw.close(0);
}
 u.close(); process.exit(0);
