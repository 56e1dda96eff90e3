// A gateway client that stops reading a big fast SSE stream. Watch upstream bytes, gateway RSS, and whether the
// upstream is cancelled after streamIdleTimeoutMs ("the longest the caller may leave it unread").
import net from 'node:net';
import { upstream, gateway, writeBP, chatChunk, chatDone, sleep, now, MB } from './lib.mjs';
const N = Number(process.env.N ?? 1);
const idle = Number(process.env.IDLE ?? 5000);
const up = await upstream(async (req, res, body, e) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const piece = chatChunk('x'.repeat(8000));
  while (e.written < 50 * 1048576) { if (!(await writeBP(res, piece, e))) return; }
  res.end(chatDone());
});
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: up.url }], router: { streamIdleTimeoutMs: idle, rescue: process.env.RESCUE ?? 'continue-or-replay' } }, process.env.GWHEAP ? { env: { NODE_OPTIONS: '--max-old-space-size=' + process.env.GWHEAP } } : {});
console.log('gateway rss start', MB(gw.rss()), 'fds', gw.fds());
const port = new URL(gw.url).port;
const body = JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
const socks = [];
for (let i = 0; i < N; i++) {
  const s = net.connect(port, '127.0.0.1');
  s.info = { got: 0, closed: null, t0: now() };
  s.on('data', (d) => { s.info.got += d.length; if (s.info.got > 65536) s.pause(); });
  s.on('close', () => { s.info.closed = now(); });
  s.on('error', () => {});
  s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  socks.push(s);
}
const t0 = now();
const OBS = Number(process.env.OBS ?? (idle + 6000) / 1000); for (let t = 0; t < OBS; t++) {
  await sleep(1000);
  const w = up.log.reduce((a, e) => a + e.written, 0);
  const closed = up.log.filter((e) => e.closed).length;
  const hm = (await fetch(gw.url + "/metrics").then((r) => r.text())).match(/^nodejs_heap_size_used_bytes (\S+)/m); console.log(`heap=${MB(Number(hm[1]))} t=${t + 1}s upstream written=${MB(w)} upstreamClosed=${closed}/${up.log.length} gwRSS=${MB(gw.rss())} fds=${gw.fds()} clientClosed=${socks.filter((s) => s.info.closed).length}`);
}
for (const e of up.log) console.log('upstream req closed after', e.closed ? Math.round(e.closed - e.start) + 'ms' : 'never');
for (const s of socks) s.destroy();
await sleep(500);
console.log('fds after client destroy', gw.fds(), 'stderr:', gw.stderr.slice(0, 500));
const m = await fetch(gw.url + '/metrics').then((r) => r.text());
console.log(m.split('\n').filter((l) => /^detour_requests_total|^detour_cost_usd|^detour_stream_rescues|^detour_attempts_total/.test(l)).join('\n'));
gw.stop(); up.close(); process.exit(0);
