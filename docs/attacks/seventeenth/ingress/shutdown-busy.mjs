// Drain under steady keep-alive load (a load balancer's pooled connections, or an SDK in a loop): each connection
// sends its next request as soon as the previous answer is in. Does the drain converge, or does it run to the grace
// limit and then cut requests the gateway accepted after SIGTERM?
import net from 'node:net';
import { startChaos, startGateway, AUTH, CHAT, hardTimeout } from './harness.mjs';
hardTimeout(40000);
const graceMs = 3000;
const chaos = await startChaos({ script: { latency: { type: 'fixed', ms: 300 } } });
const gw = await startGateway(chaos.url, { shutdownGraceMs: graceMs }, { args: ['--access-log'] });
const req = `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\n\r\n${CHAT}`;
const T0 = Date.now(); let sigAt = Infinity; let exitAt = null;
gw.child.on('exit', () => { exitAt = Date.now(); });
const stats = { answered: 0, answeredAfterSig: 0, sentAfterSig: 0, lost: 0, connClose: 0 };
const loop = (id) => new Promise((resolve) => {
  const s = net.connect(gw.port, '127.0.0.1'); let buf = ''; let pending = false;
  const send = () => { pending = true; if (Date.now() > sigAt) stats.sentAfterSig++; s.write(req); };
  s.on('data', (d) => { buf += d; const h = buf.indexOf('\r\n\r\n'); if (h < 0) return; const len = Number(/content-length: (\d+)/i.exec(buf.slice(0, h))?.[1]);
    if (buf.length >= h + 4 + len) { const head = buf.slice(0, h); buf = buf.slice(h + 4 + len); pending = false; stats.answered++; if (Date.now() > sigAt) stats.answeredAfterSig++; if (/connection: close/i.test(head)) { stats.connClose++; return; } send(); } });
  s.on('error', () => {}); s.on('close', () => { if (pending) stats.lost++; resolve(); });
  send();
});
const loops = [0, 1, 2, 3].map(loop);
await new Promise((r) => setTimeout(r, 1000));
sigAt = Date.now(); process.kill(gw.child.pid, 'SIGTERM');
await Promise.all(loops);
await new Promise((r) => { const i = setInterval(() => { if (exitAt) { clearInterval(i); r(); } }, 20); });
console.log(`SIGTERM at ${sigAt - T0} ms; gateway exited ${exitAt - sigAt} ms later (shutdownGraceMs=${graceMs})`);
console.log(`requests sent after SIGTERM on existing connections: ${stats.sentAfterSig}; answered after SIGTERM: ${stats.answeredAfterSig}; responses carrying "Connection: close": ${stats.connClose}; requests cut with no answer: ${stats.lost}`);
const log = gw.child.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
console.log(`access log: ${log.length} requests, statuses ${JSON.stringify(log.reduce((a, e) => ({ ...a, [e.status]: (a[e.status] ?? 0) + 1 }), {}))}`);
process.exit(0);
