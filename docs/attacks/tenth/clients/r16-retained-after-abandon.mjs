// The gateway in this process (run with node --expose-gc): 20 callers stop reading a fast stream; the heap with their
// streams open, then after the router's idle verdict, each after a forced collection. REPO: the checkout to load.
import net from 'node:net';
const R = process.env.REPO ?? '/work/main';
const { startGateway } = await import(R + '/apps/worker/dist/index.js');
const { loadConfig } = await import(R + '/apps/worker/dist/index.js');
const { startChaosUpstream } = await import(R + '/packages/testkit/dist/index.js');
import http from 'node:http';
const chunk = (t) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta: { content: t }, finish_reason: null }] })}\n\n`;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let sent = 0; const piece = chunk('x'.repeat(8000));
    const pump = () => { while (sent < 50 * 1048576) { sent += piece.length; if (!res.write(piece)) return res.once('drain', pump); } res.end(); };
    res.on('close', () => {}); pump();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const up = { baseUrl: `http://127.0.0.1:${server.address().port}/v1`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
const config = loadConfig({ endpoints: [{ name: 'a', baseUrl: up.baseUrl, apiKey: 'sk-a' }], gatewayKeys: ['gk'], router: { streamIdleTimeoutMs: 1000 } }, {});
const gw = await startGateway({ config });
const port = Number(new URL(gw.url).port);
const body = JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'hi' }] });
gc(); const base = process.memoryUsage().heapUsed;
const socks = [];
for (let i = 0; i < 20; i++) {
  const s = net.connect(port, '127.0.0.1');
  s.on('error', () => {});
  let got = 0; s.on('data', (d) => { got += d.length; if (got > 65536) s.pause(); });
  s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socks.push(s);
}
await new Promise((r) => setTimeout(r, 1500));
gc(); const during = process.memoryUsage().heapUsed;
await new Promise((r) => setTimeout(r, 4000));
gc(); await new Promise((r) => setTimeout(r, 100)); gc();
const after = process.memoryUsage().heapUsed;
console.log(`heap base ${(base/1048576).toFixed(1)} MB, with 20 paused streams ${(during/1048576).toFixed(1)} MB, after idle verdict (sockets still open on the client side) ${(after/1048576).toFixed(1)} MB; client sockets destroyed by server: ${socks.filter((s) => s.destroyed || s.readableEnded).length}/20`);
for (const s of socks) s.destroy();
await gw.close(0); await up.close(); process.exit(0);
