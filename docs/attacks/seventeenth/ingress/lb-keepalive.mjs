// A load balancer's pooled connection (AWS ALB keeps idle backend connections 60 s, GCP 600 s, nginx upstream
// keepalive_timeout 60 s) reused after the gateway's fixed 5 s keep-alive timeout: the request is lost.
import net from 'node:net';
import { startChaos, startGateway, AUTH, CHAT, hardTimeout } from './harness.mjs';
hardTimeout(40000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url);
const req = `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\n\r\n${CHAT}`;
const s = net.connect(gw.port, '127.0.0.1'); let data = ''; const T0 = Date.now(); let closedAt = null; let err = null;
s.on('data', (d) => { data += d; }); s.on('error', (e) => { err = e.code; }); s.on('end', () => { closedAt = Date.now() - T0; });
s.write(req);
await new Promise((r) => setTimeout(r, 300));
console.log('first response:', /^HTTP\/1\.1 \d+/.exec(data)?.[0], '| keep-alive header:', /keep-alive: [^\r]*/i.exec(data)?.[0]);
// The balancer decides when to reuse by its own idle timeout, not by the Keep-Alive hint. Reuse at 6.4 s idle (Node 20 closes at keepAliveTimeout 5 s + its 1 s buffer):
await new Promise((r) => setTimeout(r, 6400));
const before = data.length;
try { s.write(req); } catch (e) { err = e.code; }
await new Promise((r) => setTimeout(r, 1000));
console.log(`gateway sent FIN at ${closedAt} ms; second request at ~6700 ms got ${data.length > before ? 'an answer' : 'NO answer'} (err=${err})`);
console.log('Node http defaults in this gateway: keepAliveTimeout=5000 (not configurable: grep keepAliveTimeout apps/worker/src -> nothing)');
process.exit(0);
