import { upstream, endpoints, createFetch, OpenAI, okChat, backupOk, hardTimeout } from './lib.mjs';
const t = hardTimeout(40000);
const sse = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":"hi from A"},"finish_reason":null}]}\n\ndata: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
const backupSse = (req, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(sse.replace('hi from A', 'hi from BACKUP')); };
async function run(label, aHandler, stream) {
  const a = await upstream('a', aHandler);
  const b = await upstream('b', stream ? backupSse : backupOk);
  const fetch = createFetch({ endpoints: endpoints(a, b) });
  const client = new OpenAI({ apiKey: 'unused', fetch, maxRetries: 0 });
  try {
    if (stream) {
      const s = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], stream: true });
      const parts = [];
      for await (const ev of s) parts.push(JSON.stringify(ev).slice(0, 80));
      console.log(label, '-> stream ended cleanly with', parts.length, 'events', parts, 'a', a.log.length, 'b', b.log.length);
    } else {
      const { data, response } = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      console.log(label, '-> result', typeof data, JSON.stringify(data)?.slice(0, 120), 'endpoint', response.headers.get('x-detour-endpoint'), 'a', a.log.length, 'b', b.log.length);
    }
  } catch (e) { console.log(label, '-> threw', e.constructor.name, e.status, String(e.message).slice(0, 120), 'a', a.log.length, 'b', b.log.length); }
  a.close(); b.close();
}
await run('stream:true, A answers 200 JSON completion', (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(okChat); }, true);
await run('stream:true, A answers 200 text/plain SSE-less "{}"', (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{}'); }, true);
await run('stream:true, A answers 200 no content-type, SSE bytes', (q, s) => { s.writeHead(200, {}); s.end(sse); }, true);
await run('stream:false, A answers 200 SSE', (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(sse); }, false);
await run('stream:false, A answers 204', (q, s) => { s.writeHead(204); s.end(); }, false);
await run('stream:false, A answers 205', (q, s) => { s.writeHead(205); s.end(); }, false);
await run('stream:false, A answers 200 text/html', (q, s) => { s.writeHead(200, { 'content-type': 'text/html' }); s.end('<html>bad gateway</html>'); }, false);
await run('stream:false, A answers 200 JSON of an array', (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('[]'); }, false);
await run('stream:false, A answers 200 JSON null', (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('null'); }, false);
await run('stream:false, A answers 200 JSON "{}"', (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{}'); }, false);
clearTimeout(t); process.exit(0);
