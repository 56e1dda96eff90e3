// Same as lastnl.mjs on /chat/completions and /messages: final "\n" as its own write.
import { createFetch } from '@detour/node';
import { start, sse } from './upstream.mjs';
const chat = 'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\n\ndata: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
const msgs = 'event: message_start\ndata: {"type":"message_start","message":{"id":"m1","type":"message","role":"assistant","content":[],"model":"c","usage":{"input_tokens":1,"output_tokens":1}}}\n\nevent: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\nevent: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}\n\nevent: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\nevent: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
for (const [path, body, provider] of [['/chat/completions', chat, 'openai'], ['/messages', msgs, 'anthropic']]) {
  for (const rescue of ['continue-or-replay', 'off']) {
    const A = await start((req, r) => { sse(r); r.write(body.slice(0, -1)); setTimeout(() => r.end('\n'), 30); });
    const fetch = createFetch({ rescue, endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a', provider }] });
    const raw = await fetch('http://x/v1' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5, stream: true }) });
    let got = ''; let err = null; try { for await (const c of raw.body) got += Buffer.from(c).toString(); } catch (e) { err = e.message; }
    console.log(path, rescue, `sent ${body.length} got ${got.length} err=${err} tail=${JSON.stringify(got.slice(-40))}`);
    A.srv.close();
  }
}
process.exit(0);
