// Through the gateway: endpoint a streams then cuts; rescue (replay) goes to b, which hangs/streams slowly; client leaves.
import net from 'node:net';
import { upstream, gateway, chatChunk, chatDone, sleep, now } from './lib.mjs';
const B = process.env.B ?? 'hang';
const a = await upstream(async (req, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(chatChunk('hello ')); await sleep(200); res.destroy(); });
const b = await upstream(async (req, res) => {
  if (B === 'hang') return;
  res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(chatChunk('hel'));  // replay: holds back until delivered text repeated
  for (let i = 0; i < 100 && !res.destroyed; i++) { await sleep(100); res.write(': ka\n\n'); }
});
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: a.url }, { name: 'b', baseUrl: b.url }] }, { extraArgs: ['--access-log'] });
const port = new URL(gw.url).port;
const body = JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
const s = net.connect(port, '127.0.0.1'); let got = '';
s.on('data', (d) => { got += d; }); s.on('error', () => {});
s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
await sleep(800);
console.log('before disconnect: a reqs', a.log.length, 'b reqs', b.log.length, 'b open', b.log.filter((e) => !e.closed).length);
const tD = now(); s.destroy(); await sleep(1500);
console.log('b:', b.log.map((e) => e.closed ? `closed ${Math.round(e.closed - tD)}ms after disconnect` : 'STILL OPEN'));
console.log('access:', gw.stdout.split('\n').filter((l) => l.startsWith('{')).join('\n'));
const m = await fetch(gw.url + '/metrics').then((r) => r.text());
console.log(m.split('\n').filter((l) => /^detour_requests_total|^detour_stream_rescues|^detour_attempts_total|^detour_cost/.test(l)).join('\n'));
console.log('stderr:', JSON.stringify(gw.stderr.slice(0, 400)));
gw.stop(); a.close(); b.close(); process.exit(0);
