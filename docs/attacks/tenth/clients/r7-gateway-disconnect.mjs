// Client disconnects through the gateway at several points; measure upstream close latency, FDs, stderr, access log.
import net from 'node:net';
import { upstream, gateway, chatChunk, chatDone, sleep, now } from './lib.mjs';
let mode = 'hang';
const up = await upstream(async (req, res, body, e) => {
  e.mode = mode;
  if (mode === 'hang') return;
  if (mode === '429') { res.writeHead(429, { 'retry-after': '3', 'content-type': 'application/json' }); res.end('{"error":{"message":"x","type":"rate_limit","code":"rate_limit_exceeded"}}'); return; }
  if (mode === 'stream') { res.writeHead(200, { 'content-type': 'text/event-stream' }); for (let i = 0; i < 200 && !res.destroyed; i++) { res.write(chatChunk(`t${i} `)); await sleep(50); } res.end(chatDone()); return; }
  if (mode === 'cutthenhang') { // first answer: a few chunks then cut; rescue attempts (replay) hang before headers
    if (!e.url.includes('x') && up.log.filter((x) => x.mode === 'cutthenhang').length === 1) { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(chatChunk('hello ')); await sleep(200); res.destroy(); return; }
    return; // rescue attempt hangs
  }
});
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: up.url }], router: { preferWaitMs: 10000 } }, { extraArgs: ['--access-log'] });
const port = new URL(gw.url).port;
const body = JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
const fd0 = gw.fds();
async function run(m, disconnectAfterMs, label) {
  mode = m; const before = up.log.length;
  const s = net.connect(port, '127.0.0.1'); let got = '';
  s.on('data', (d) => { got += d; }); s.on('error', () => {});
  s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  await sleep(disconnectAfterMs); const tD = now(); s.destroy();
  await sleep(1500);
  const mine = up.log.slice(before);
  console.log(`${label}: client got ${got.length}B (${got.split('\r\n')[0]}); upstream reqs ${mine.length}:`, mine.map((e) => e.closed ? (e.closed < tD ? 'closed-before-disconnect' : `closed ${Math.round(e.closed - tD)}ms after disconnect`) : 'STILL OPEN 1.5s after disconnect'), 'fds', gw.fds(), '(start', fd0 + ')');
}
await run('hang', 500, 'before headers (upstream hangs)');
await run('429', 800, 'during backoff wait (429 retry-after 3, preferWaitMs)');
await sleep(3000);
await run('stream', 500, 'mid-stream');
await run('cutthenhang', 900, 'during rescue (rescue attempt pending)');
await sleep(500);
console.log('access log:\n' + gw.stdout.split('\n').filter((l) => l.startsWith('{')).join('\n'));
console.log('stderr:', JSON.stringify(gw.stderr.slice(0, 600)));
const m = await fetch(gw.url + '/metrics').then((r) => r.text());
console.log(m.split('\n').filter((l) => /^detour_requests_total|^detour_stream_rescues|^detour_attempts_total|^detour_cost/.test(l)).join('\n'));
gw.stop(); up.close(); process.exit(0);
