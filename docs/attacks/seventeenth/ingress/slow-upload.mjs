// A steady, legitimate slow upload: requestTimeoutMs bounds the whole request, not idleness. Scaled down:
// requestTimeoutMs=3000, a 2 MB body sent steadily at ~500 KB/s (4 s). At the defaults (30 s, maxBodyBytes 32 MiB)
// the same arithmetic refuses any 32 MiB body on an uplink under ~9 Mbit/s.
import net from 'node:net';
import { startChaos, startGateway, AUTH, hardTimeout } from './harness.mjs';
hardTimeout(40000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url, { headersTimeoutMs: 1000, requestTimeoutMs: 3000 });
const body = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'x'.repeat(2_000_000) }] });
const s = net.connect(gw.port, '127.0.0.1'); let data = ''; const T0 = Date.now(); let sent = 0;
let closed = false; s.on('close', () => { closed = true; }); s.on('data', (d) => { data += d; }); s.on('error', (e) => { data += ` [${e.code}]`; });
s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`);
await new Promise((resolve) => { const i = setInterval(() => { if (closed || s.destroyed || sent >= body.length) { clearInterval(i); resolve(); return; } s.write(body.slice(sent, sent + 50_000)); sent += 50_000; }, 100); });
await new Promise((r) => { if (closed) r(); else s.once('close', r); });
console.log(`steady upload at ~500 KB/s: ${Math.min(sent, body.length)} of ${body.length} bytes sent; answer after ${Date.now() - T0} ms: ${JSON.stringify(data.split('\r\n')[0])}`);
process.exit(0);
