// The busy-drain probe against an embedded gateway, without and with the suggested fix: once draining, every
// response says "Connection: close" (res.shouldKeepAlive = false), so keep-alive callers stop sending on it.
import net from 'node:net';
import { startChaos, AUTH, CHAT, hardTimeout } from './harness.mjs';
import { startGateway, loadConfig } from '/tmp/attack17b/repo/apps/worker/dist/index.js';
hardTimeout(60000);
const chaos = await startChaos({ script: { latency: { type: 'fixed', ms: 300 } } });
const config = loadConfig({ endpoints: [{ name: 'primary', baseUrl: `${chaos.url}/v1`, apiKey: 'sk-up-123456' }], gatewayKeys: ['gk-test-key'], shutdownGraceMs: 3000 }, {}, 'cfg');
const req = `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\n\r\n${CHAT}`;
for (const fix of [false, true]) {
  const gw = await startGateway({ config });
  let draining = false; const open = new Set();
  if (fix) gw.server.prependListener('request', (_q, res) => { if (draining) res.shouldKeepAlive = false; else { open.add(res); res.once('close', () => open.delete(res)); } });
  const port = new URL(gw.url).port;
  let sigAt = Infinity; const stats = { sentAfter: 0, answeredAfter: 0, lost: 0, connClose: 0 };
  const loop = () => new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1'); let buf = ''; let pending = false;
    const send = () => { pending = true; if (Date.now() > sigAt) stats.sentAfter++; s.write(req); };
    s.on('data', (d) => { buf += d; const h = buf.indexOf('\r\n\r\n'); if (h < 0) return; const len = Number(/content-length: (\d+)/i.exec(buf.slice(0, h))?.[1]);
      if (buf.length >= h + 4 + len) { const head = buf.slice(0, h); buf = buf.slice(h + 4 + len); pending = false; if (Date.now() > sigAt) stats.answeredAfter++; if (/connection: close/i.test(head)) { stats.connClose++; return; } send(); } });
    s.on('error', () => {}); s.on('close', () => { if (pending) stats.lost++; resolve(); });
    send();
  });
  const loops = [0, 1, 2, 3].map(loop);
  await new Promise((r) => setTimeout(r, 1000));
  sigAt = Date.now();
  if (fix) { draining = true; for (const res of open) if (!res.headersSent) res.shouldKeepAlive = false; else res.once('finish', () => res.socket?.end()); }
  const closed = gw.close();
  await Promise.all(loops); await closed;
  console.log(`fix=${fix}: close() took ${Date.now() - sigAt} ms; requests sent after close(): ${stats.sentAfter}, answered: ${stats.answeredAfter}, "Connection: close" answers: ${stats.connClose}, lost with no answer: ${stats.lost}`);
}
process.exit(0);
