// Streams whose clients read slowly/pause: how much V8 heap does the gateway RETAIN per open stream?
// Gateway started with --max-old-space-size=$HEAP (MB). Each upstream streams STREAM_MB of content and the client
// reads everything (not paused) but keeps the connection open by never... no: client reads all, upstream holds the
// stream open (no [DONE]) after sending STREAM_MB, so the stream is live but idle.
import net from 'node:net';
import { upstream, gateway, writeBP, chatChunk, sleep, now, MB } from './lib.mjs';
const N = Number(process.env.N ?? 10), STREAM_MB = Number(process.env.STREAM_MB ?? 20), HEAP = process.env.HEAP ?? '128';
const RESCUE = process.env.RESCUE ?? 'continue-or-replay';
const up = await upstream(async (req, res, body, e) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const piece = chatChunk('x'.repeat(8000));
  while (e.written < STREAM_MB * 1048576) { if (!(await writeBP(res, piece, e))) return; }
  // then stay open, sending a keep-alive comment every second
  const iv = setInterval(() => { if (res.destroyed) clearInterval(iv); else res.write(': ka\n\n'); }, 1000);
});
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: up.url }], router: { streamIdleTimeoutMs: 60000, rescue: RESCUE, ...(process.env.MAXRESP ? { maxResponseBytes: Number(process.env.MAXRESP) } : {}) } }, { env: { NODE_OPTIONS: `--max-old-space-size=${HEAP}` } });
let exited = null; gw.child.on('exit', (c, s) => { exited = `${c}/${s}`; });
const port = new URL(gw.url).port;
const body = JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
const socks = [];
for (let i = 0; i < N; i++) {
  const s = net.connect(port, '127.0.0.1'); s.got = 0;
  s.on('data', (d) => { s.got += d.length; }); s.on('error', () => {});
  s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socks.push(s);
  await sleep(300);
}
for (let t = 0; t < 25; t++) {
  await sleep(1000);
  if (exited) { console.log('GATEWAY EXITED', exited); break; }
  let heap = 'n/a'; try { heap = MB(Number((await fetch(gw.url + '/metrics').then((r) => r.text())).match(/^nodejs_heap_size_used_bytes (\S+)/m)[1])); } catch {}
  const got = socks.reduce((a, s) => a + s.got, 0);
  console.log(`t=${t + 1}s clientsGot=${MB(got)} upstreamWritten=${MB(up.log.reduce((a, e) => a + e.written, 0))} heapUsed=${heap} rss=${(() => { try { return MB(gw.rss()); } catch { return '-'; } })()}`);
  if (got >= N * STREAM_MB * 1048576 * 0.99 && t > 8) break;
}
await sleep(300); console.log('exited:', exited, 'stderr:', gw.stderr.slice(0, 1500));
for (const s of socks) s.destroy(); gw.stop(); up.close(); process.exit(0);
