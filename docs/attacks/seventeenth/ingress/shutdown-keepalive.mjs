// During the drain: a JSON request in flight on a keep-alive connection. Does its response say "Connection: close"?
// A client (like undici/openai SDK) that reuses the connection right after the response: what happens to request B?
import net from 'node:net';
import { startChaos, startGateway, AUTH, CHAT, hardTimeout, summarize } from './harness.mjs';
hardTimeout(40000);
const chaos = await startChaos({ script: { latency: { type: 'fixed', ms: 1500 } } });
const gw = await startGateway(chaos.url, { shutdownGraceMs: 10000 }, { args: ['--access-log'] });
const req = `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\n\r\n${CHAT}`;
const results = [];
for (const delayB of [0, 20, 60]) { results.push(null); }
const T0 = Date.now(); const ts = () => ((Date.now() - T0) / 1000).toFixed(3) + 's';
let exitAt = null; gw.child.on('exit', (c) => { exitAt = ts() + ' code ' + c; });
const runs = [0, 20, 60].map((delayB, i) => new Promise((resolve) => {
  const s = net.connect(gw.port, '127.0.0.1'); let data = ''; let sentB = false; const out = { delayB };
  s.on('data', (d) => { data += d;
    if (!sentB && /\r\n\r\n\{.*\}\}?$/s.test(data) && data.includes('"usage"')) { sentB = true; out.firstHeadersConnClose = /connection: close/i.test(data); setTimeout(() => { try { s.write(req); out.bSent = ts(); out.lenAtB = data.length; } catch (e) { out.bErr = e.code; } }, delayB); }
  });
  s.on('error', (e) => { out.err = e.code; });
  s.on('close', () => { out.closedAt = ts(); out.after = data.slice(out.lenAtB ?? data.length); out.statuses = summarize(data); resolve(out); });
  s.write(req);
}));
await new Promise((r) => setTimeout(r, 500));
process.kill(gw.child.pid, 'SIGTERM');
const outs = await Promise.all(runs);
await new Promise((r) => { const i = setInterval(() => { if (exitAt) { clearInterval(i); r(); } }, 50); });
for (const o of outs) console.log(`B sent ${o.delayB}ms after A's response: A had connection:close=${o.firstHeadersConnClose}; err=${o.err ?? null} (B ${/^HTTP\/1\.1 200/.test(o.after ?? '') ? 'answered' : 'LOST: connection closed with no response'}) B sent at ${o.bSent}, socket closed at ${o.closedAt}, bytes after B=${JSON.stringify(o.after.slice(0,80))}`);
console.log('gateway exited at', exitAt);
await new Promise((r) => setTimeout(r, 300));
console.log(gw.child.out);
process.exit(0);
