// Body budget: does any path leak a share of maxBodyBytesInFlight? Limit 2000, bodies ~600 bytes.
import http from 'node:http';
import net from 'node:net';
import { rawUpstream, startGw, post, chatBody, completion, rawResponse, listen } from './lib.mjs';
const up = await rawUpstream((socket) => socket.write(rawResponse(200, ['content-type: application/json'], completion())));
const g = await startGw([{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }], { maxBodyBytes: 1000, maxBodyBytesInFlight: 2000, requestTimeoutMs: 1500, headersTimeoutMs: 1000 });
const port = new URL(g.url).port;
const body = JSON.stringify({ ...chatBody, pad: 'x'.repeat(500) });
const probe = async (label) => {
  // two concurrent-ish sequential probes: each ~590 bytes; if >~800 leaked, a probe fails
  const results = [];
  for (let i = 0; i < 3; i++) { const r = await post(g.url + '/v1/chat/completions', body); results.push(r.status); }
  console.log(label.padEnd(60), 'probe statuses', results.join(','));
};
const rawSend = (text, { closeAfterMs = 100, destroy = true } = {}) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => { s.write(text); setTimeout(() => { destroy ? s.destroy() : s.end(); resolve(); }, closeAfterMs); });
  s.on('data', () => {}); s.on('error', () => {});
});
await probe('baseline');
const head = (len, extra = '') => `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${len}\r\n${extra}\r\n`;
// 1. declared 900, send 100 bytes then destroy socket
for (let i = 0; i < 3; i++) await rawSend(head(900) + body.slice(0, 100));
await new Promise((r) => setTimeout(r, 200));
await probe('after 3 partial bodies + client destroy');
// 2. declared 900, send nothing, half-close (FIN) 
for (let i = 0; i < 3; i++) await rawSend(head(900), { destroy: false });
await new Promise((r) => setTimeout(r, 300));
await probe('after 3 header-only + FIN');
// 3. Expect: 100-continue, declared 900, never send body, destroy
for (let i = 0; i < 3; i++) await rawSend(head(900, 'expect: 100-continue\r\n'), { closeAfterMs: 100 });
await new Promise((r) => setTimeout(r, 300));
await probe('after 3 expect-100 no body + destroy');
// 4. invalid json / no model with declared length
for (let i = 0; i < 3; i++) await post(g.url + '/v1/chat/completions', 'x'.repeat(800));
await probe('after 3 invalid JSON');
// 5. pipelined: two requests in one write on a keep-alive socket then keep open
{
  const one = head(Buffer.byteLength(body)) + body;
  const s = net.connect(port, '127.0.0.1', () => s.write(one + one));
  let got = ''; s.on('data', (d) => { got += d; }); s.on('error', () => {});
  await new Promise((r) => setTimeout(r, 500));
  console.log('pipelined got', (got.match(/HTTP\/1.1 \d+/g) || []).join(','));
  await probe('while a keep-alive socket with 2 pipelined requests stays open');
  s.destroy();
}
// 6. header-only, socket kept open (slowloris) — held until requestTimeout?
{
  const socks = [];
  for (let i = 0; i < 2; i++) { const s = net.connect(port, '127.0.0.1', () => s.write(head(900))); s.on('error', () => {}); s.on('data', () => {}); socks.push(s); }
  await new Promise((r) => setTimeout(r, 200));
  await probe('while 2 header-only sockets (declared 900 each) stay open');
  await new Promise((r) => setTimeout(r, 2500));
  await probe('after requestTimeout passed for them');
  socks.forEach((s) => s.destroy());
}
await g.close(100); up.server.close(); process.exit(0);
