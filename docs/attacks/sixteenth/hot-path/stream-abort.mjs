// Client hangs up mid-stream: is the upstream connection closed promptly and the body budget given back?
import http from 'node:http';
import { startGw, post, chatBody, listen } from './lib.mjs';
let upstreamClosed = 0, served = 0;
const c = (content) => `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]}\n\n`;
const up = http.createServer((req, res) => {
  req.resume();
  if (!JSON.parse('{}') || true) {}
  let body = ''; req.on('data', (d) => (body += d)); req.on('end', () => {
    served++;
    if (!body.includes('"stream":true')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] })); return; }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const t = setInterval(() => res.write(c('tok')), 50);
    res.on('close', () => { clearInterval(t); upstreamClosed++; });
  });
});
const port = await listen(up);
const g = await startGw([{ name: 'a', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }], { maxBodyBytes: 1000, maxBodyBytesInFlight: 1000 });
const big = JSON.stringify({ ...chatBody, stream: true, pad: 'x'.repeat(600) });
for (let i = 0; i < 3; i++) {
  await new Promise((resolve) => {
    const u = new URL(g.url);
    const req = http.request({ host: '127.0.0.1', port: u.port, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) } }, (res) => {
      let n = 0; res.on('data', () => { if (++n === 3) { req.destroy(); resolve(); } });
      res.on('error', () => {});
    });
    req.on('error', () => {}); req.end(big);
  });
  await new Promise((r) => setTimeout(r, 200));
  console.log(`after client hang-up #${i + 1}: upstream connections closed = ${upstreamClosed}`);
  const r = await post(g.url + '/v1/chat/completions', JSON.stringify({ ...chatBody, pad: 'y'.repeat(600) }));
  console.log(`   a fresh 650-byte request (budget 1000): ${r.status} ${r.body.toString().slice(0, 80)}`);
}
await g.close(100); up.close(); process.exit(0);
