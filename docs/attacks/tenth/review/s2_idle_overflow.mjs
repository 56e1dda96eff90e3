// Gateway with streamIdleTimeoutMs near its allowed maximum (2147483647): the relay's timer (idle + 1000 ms)
// overflows a 32-bit timer and Node fires it after 1 ms. A paused caller then no longer holds back the upstream.
import net from 'node:net';
import { upstream, gateway, writeBP, chatChunk, chatDone, sleep, now, MB } from '../clients/lib.mjs';
const idle = Number(process.env.IDLE ?? 2147483647);
const up = await upstream(async (req, res, body, e) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const piece = chatChunk('x'.repeat(8000));
  while (e.written < 200 * 1048576) { if (!(await writeBP(res, piece, e))) return; }
  res.end(chatDone());
});
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: up.url }], router: { streamIdleTimeoutMs: idle, rescue: 'off' } });
console.log('IDLE', idle, 'gateway rss start', MB(gw.rss()));
const port = new URL(gw.url).port;
const body = JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
const s = net.connect(port, '127.0.0.1');
let got = 0;
s.on('data', (d) => { got += d.length; if (got > 65536) s.pause(); });
s.on('error', () => {});
s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
for (let t = 0; t < Number(process.env.OBS ?? 6); t++) {
  await sleep(1000);
  const w = up.log.reduce((a, e) => a + e.written, 0);
  console.log(`t=${t + 1}s client read ${MB(got)} (paused) upstream written=${MB(w)} gwRSS=${MB(gw.rss())}`);
}
console.log('gateway stderr:', gw.stderr.slice(0, 400));
s.destroy(); gw.stop(); up.close(); process.exit(0);
