// A slow but alive reader (reads RATE bytes every 500 ms) of a 2 MB stream through the gateway, IDLE ms idle bound.
import net from 'node:net';
import { upstream, gateway, writeBP, chatChunk, chatDone, sleep, MB } from '../clients/lib.mjs';
const idle = Number(process.env.IDLE ?? 2000), RATE = Number(process.env.RATE ?? 65536);
const up = await upstream(async (req, res, body, e) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const piece = chatChunk('x'.repeat(8000));
  while (e.written < 2 * 1048576) { if (!(await writeBP(res, piece, e))) return; }
  res.end(chatDone());
});
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: up.url }], router: { streamIdleTimeoutMs: idle, rescue: 'off' } });
const port = new URL(gw.url).port;
const body = JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
const s = net.connect({ port, host: '127.0.0.1' });
s.setNoDelay(true);
let got = 0, closed = false, text = '';
s.on('data', (d) => { got += d.length; text = (text + d.toString('latin1')).slice(-200); s.pause(); });
s.on('close', () => { closed = true; }); s.on('error', (e) => { console.log('client error', e.code); });
s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
const t0 = Date.now();
while (!closed && Date.now() - t0 < 40000) { await sleep(500); s.resume(); await sleep(Math.max(1, RATE / 65536 * 5)); s.pause(); }
console.log(`IDLE=${idle}: closed=${closed} after ${Date.now() - t0}ms, client got ${MB(got)}, ends with [DONE]: ${text.includes('[DONE]')}, tail: ${JSON.stringify(text.slice(-60))}`);
console.log('access log:', gw.stdout.split('\n').filter((l) => l.startsWith('{')).slice(-1)[0]);
gw.stop(); up.close(); process.exit(0);
