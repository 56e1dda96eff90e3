// One endpoint only. The upstream answers request 1 with keep-alive, then when a second request arrives on that same
// reused socket it resets it (the idle-close race every keep-alive pool hits). A fresh connection would succeed.
import net from 'node:net';
import { endpoints, createFetch, OpenAI, okChat, startGateway, hardTimeout } from './lib.mjs';
const t = hardTimeout(60000);
let conns = 0, reqs = 0;
const server = net.createServer((s) => {
  conns++; let n = 0; let buf = '';
  s.on('error', () => {});
  s.on('data', (d) => {
    buf += d; const i = buf.indexOf('\r\n\r\n'); if (i < 0) return;
    const cl = Number(/content-length:\s*(\d+)/i.exec(buf.slice(0, i))?.[1] ?? 0);
    if (buf.length - i - 4 < cl) return;
    buf = ''; n++; reqs++;
    if (n === 1) s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: keep-alive\r\ncontent-length: ${okChat.length}\r\n\r\n${okChat}`);
    else s.resetAndDestroy ? s.resetAndDestroy() : s.destroy();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const a = { url: `http://127.0.0.1:${server.address().port}` };
const which = process.argv[2] ?? 'both';
for (const via of ['createFetch', 'gateway']) {
  if (which !== 'both' && which !== via) continue;
  conns = 0; reqs = 0;
  let gw, client;
  if (via === 'gateway') { gw = await startGateway(endpoints(a)); client = new OpenAI({ apiKey: 'gk-test', baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 15000 }); }
  else client = new OpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: endpoints(a) }), maxRetries: 0, timeout: 15000 });
  for (let i = 1; i <= 3; i++) {
    try {
      const { response } = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      console.log(via, 'request', i, '-> ok', response.status, 'attempts', response.headers.get('x-detour-attempts'), 'conns', conns, 'reqs', reqs);
    } catch (e) { console.log(via, 'request', i, '-> threw', e.constructor.name, e.status, String(e.message).slice(0, 140), 'x-detour-error', e.headers?.get?.('x-detour-error'), 'conns', conns, 'reqs', reqs); }
  }
  gw?.close();
}
clearTimeout(t); server.close(); process.exit(0);
