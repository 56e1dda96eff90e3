import { upstream, endpoints, OpenAI, okChat, backupOk, startGateway, hardTimeout } from './lib.mjs';
const t = hardTimeout(60000);
const sse = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":"hi from A"},"finish_reason":null}]}\n\ndata: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
const backupSse = (req, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(sse.replace('hi from A', 'hi from BACKUP')); };
let mode = '';
const a = await upstream('a', (q, s) => handlers[mode](q, s));
const b = await upstream('b', (q, s) => (JSON.parse(q.body || '{}').stream ? backupSse : backupOk)(q, s));
const gw = await startGateway(endpoints(a, b));
const client = new OpenAI({ apiKey: 'gk-test', baseURL: `${gw.url}/v1`, maxRetries: 0 });
const handlers = {
  jsonForStream: (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(okChat); },
  sseForJson: (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(sse); },
  r204: (q, s) => { s.writeHead(204); s.end(); },
  r307json: (q, s) => { s.writeHead(307, { 'content-type': 'application/json', location: 'http://internal-admin.corp:9999/v1/chat/completions?key=sk-PRIMARY-SECRET' }); s.end('{"moved":true}'); },
};
for (const [m, stream] of [['jsonForStream', true], ['sseForJson', false], ['r204', false], ['r307json', false]]) {
  mode = m; const a0 = a.log.length, b0 = b.log.length;
  try {
    if (stream) {
      const st = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], stream: true });
      let n = 0; for await (const _ of st) n++;
      console.log(m, '-> stream ended cleanly with', n, 'events; a', a.log.length - a0, 'b', b.log.length - b0);
    } else {
      const { data, response } = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      console.log(m, '-> status', response.status, 'result', JSON.stringify(data)?.slice(0, 100), 'a', a.log.length - a0, 'b', b.log.length - b0);
    }
  } catch (e) { console.log(m, '-> threw', e.constructor.name, e.status, 'location=', e.headers?.location ?? e.headers?.get?.('location'), String(e.message).slice(0, 100), 'a', a.log.length - a0, 'b', b.log.length - b0); }
}
// raw fetch for redirect to see Location
mode = 'r307json';
const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', redirect: 'manual', headers: { authorization: 'Bearer gk-test', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) });
console.log('raw fetch 307 -> status', r.status, 'location', r.headers.get('location'), 'x-detour-endpoint', r.headers.get('x-detour-endpoint'), await r.text());
clearTimeout(t); gw.close(); a.close(); b.close(); process.exit(0);
