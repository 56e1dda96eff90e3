// SIGTERM with streams in flight, idle keep-alive sockets, a keep-alive socket that sends another request during the
// drain, and a new connection during the drain.
import net from 'node:net';
import { startChaos, startGateway, AUTH, hardTimeout, summarize } from './harness.mjs';
hardTimeout(60000);
const graceMs = Number(process.argv[2] ?? 10000);
const chaos = await startChaos({ script: { chunkDelayMs: 250, completionTokens: 16 } });
const gw = await startGateway(chaos.url, { shutdownGraceMs: graceMs }, { args: ['--access-log'] });
const P = gw.port;
const T0 = Date.now(); const ts = () => `${((Date.now() - T0) / 1000).toFixed(2)}s`;
const body = JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
const streamReq = (extra = '') => `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\n${extra}content-length: ${body.length}\r\n\r\n${body}`;
const conn = (label) => { const s = net.connect(P, '127.0.0.1'); const o = { s, data: '', closed: null, label, err: null };
  s.on('data', (d) => { o.data += d; }); s.on('error', (e) => { o.err = e.code; }); s.on('close', () => { o.closed = ts(); }); return o; };
const streams = [0, 1, 2].map((i) => { const c = conn('stream' + i); c.s.write(streamReq()); return c; });
const idle = [0, 1, 2, 3, 4].map((i) => { const c = conn('idle' + i); c.s.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n'); return c; });
const reuse = conn('reuse'); reuse.s.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n');
await new Promise((r) => setTimeout(r, 1000));
let exitAt = null; let exitCode = null;
gw.child.on('exit', (code, sig) => { exitAt = ts(); exitCode = code ?? sig; });
console.log(`${ts()} SIGTERM (shutdownGraceMs=${graceMs})`);
const tSig = Date.now();
process.kill(gw.child.pid, 'SIGTERM');
await new Promise((r) => setTimeout(r, 50));
// a request on an existing keep-alive connection during the drain
reuse.data = ''; reuse.s.write(streamReq());
console.log(`${ts()} sent a stream request on an existing keep-alive connection`);
// a brand-new connection during the drain
const fresh = conn('fresh'); fresh.s.write('GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
await new Promise((r) => { const i = setInterval(() => { if (exitAt || Date.now() - tSig > graceMs + 8000) { clearInterval(i); r(); } }, 50); });
await new Promise((r) => setTimeout(r, 200));
console.log(`gateway exited at ${exitAt} (${exitAt ? '' : 'NOT '}within bound), code ${exitCode}`);
for (const c of [...streams, ...idle, reuse, fresh]) {
  const complete = c.data.includes('data: [DONE]') && c.data.endsWith('0\r\n\r\n');
  console.log(`${c.label.padEnd(8)} closed=${c.closed} err=${c.err} statuses=${JSON.stringify(summarize(c.data))} ${c.label.startsWith('stream') || c.label === 'reuse' ? `complete=${complete} conn-close-hdr=${/connection: close/i.test(c.data)} tail=${JSON.stringify(c.data.slice(-24))}` : ''}`);
}
console.log('--- gateway stdout ---\n' + gw.child.out);
process.exit(0);
