// An SSE event whose JSON spans two `data:` lines (SSE joins them with "\n"; the openai SDK parses the joined data).
// Direct to the upstream the SDK reads the stream; through the gateway / createFetch it fails.
import { rawUpstream, startGw, reqFrom, detourNode } from './lib.mjs';
const OpenAI = reqFrom('openai').default ?? reqFrom('openai');
const c1 = '{"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini",\ndata: "choices":[{"index":0,"delta":{"content":"hello"},"finish_reason":null}]}';
const c2 = '{"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';
const stream = `data: ${c1}\n\ndata: ${c2}\n\ndata: [DONE]\n\n`;
const up = await rawUpstream((socket) => socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: ${Buffer.byteLength(stream)}\r\n\r\n${stream}`));
const run = async (label, client) => {
  try {
    const s = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = ''; for await (const ch of s) text += ch.choices[0]?.delta?.content ?? '';
    console.log(label.padEnd(26), 'OK text =', JSON.stringify(text));
  } catch (e) { console.log(label.padEnd(26), 'FAILED', e.status ?? '', String(e.message).slice(0, 230)); }
};
await run('direct (openai SDK)', new OpenAI({ baseURL: up.url, apiKey: 'x', maxRetries: 0 }));
const g = await startGw([{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }]);
await run('via gateway', new OpenAI({ baseURL: g.url + '/v1', apiKey: 'x', maxRetries: 0 }));
const f = detourNode.createFetch({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }] });
await run('via createFetch', new OpenAI({ apiKey: 'x', fetch: f, maxRetries: 0 }));
await f.router.close(); await g.close(100); up.server.close(); process.exit(0);
