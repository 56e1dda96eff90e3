// Gateway: client pauses past streamIdleTimeoutMs (abandoned), then resumes. What does it get, and does the gateway
// release the connection on its own while the client stays paused?
import net from 'node:net';
import { upstream, gateway, writeBP, chatChunk, chatDone, sleep, now, MB } from './lib.mjs';
const up = await upstream(async (req, res, body, e) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const piece = chatChunk('x'.repeat(8000));
  while (e.written < 50 * 1048576) { if (!(await writeBP(res, piece, e))) return; }
  res.end(chatDone());
});
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: up.url }], router: { streamIdleTimeoutMs: 2000, rescue: process.env.RESCUE ?? 'continue-or-replay' } }, process.env.TRACE ? { env: { NODE_OPTIONS: '--require /tmp/attack10b/repros/trace-socket.cjs' } } : {});
const port = new URL(gw.url).port; const fd0 = gw.fds();
const body = JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
const s = net.connect(port, '127.0.0.1'); let got = 0, tail = '', ended = null, err = null;
s.on('data', (d) => { got += d.length; tail = (tail + d.toString("latin1")).slice(-3000); if (got > 65536 && !s.resumedOnce) s.pause(); });
const seq = []; s.on('end', () => { seq.push('FIN@' + got); ended = 'FIN'; }); s.on('error', (e) => { seq.push(e.code); err = e.code; }); s.on('close', () => { seq.push('close'); ended ??= 'close'; });
s.write(`POST /v1/chat/completions HTTP/${process.env.HTTP ?? "1.1"}\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
await sleep(Number(process.env.PAUSE ?? 12000));
console.log(`after 12 s paused (abandoned at ~2 s): upstream closed=${!!up.log[0].closed}, gateway fds=${gw.fds()} (baseline ${fd0}), client sees end=${ended} err=${err}`);
s.resumedOnce = true; const tR = now(); s.resume();
for (let i = 0; i < 50 && !ended && !err; i++) await sleep(100);
console.log(`after resume: got ${MB(got)} total; end=${ended} err=${err} after ${Math.round(now() - tR)} ms; tail=${JSON.stringify(tail.replace(/x{20,}/g, "x…"))}`);
await sleep(1000); if (seq[0]?.startsWith('FIN')) console.log('FIN TAIL:', JSON.stringify(tail.slice(-700).replace(/x{20,}/g, 'x…'))); console.log('socket events:', seq.join(' -> '), 'endsWithChunkTerminator', tail.endsWith('0\r\n\r\n'), 'gateway fds', gw.fds());
const mm = await fetch(gw.url + '/metrics').then((r) => r.text()); console.log('  metrics:', mm.split('\n').filter((l) => /^detour_requests_total|^detour_stream_rescues|^detour_attempts_total/.test(l)).join(' ; ')); if (process.env.TRACE) console.log(gw.stderr.slice(0, 3000)); gw.stop(); up.close(); process.exit(0);
