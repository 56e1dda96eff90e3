// A client that stops reading a long stream: does gateway memory stay bounded? Then it reads slowly (1 KB/s).
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { startChaos, startGateway, AUTH, hardTimeout } from './harness.mjs';
hardTimeout(90000);
const chaos = await startChaos({ script: { completionTokens: 100000 } });
const gw = await startGateway(chaos.url);
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const body = JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
console.log(`start: gateway RSS ${rssOf(gw.child.pid).toFixed(1)} MiB, chaos RSS ${rssOf(chaos.child.pid).toFixed(1)} MiB`);
const clients = [];
for (let i = 0; i < 10; i++) {
  const s = net.connect(gw.port, '127.0.0.1'); let got = 0;
  s.on('data', (d) => { got += d.length; if (got > 2000) s.pause(); }); s.on('error', () => {});
  s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
  clients.push({ s, get got() { return got; } });
}
for (let t = 1; t <= 12; t++) {
  await new Promise((r) => setTimeout(r, 1000));
  if (t % 3 === 0) console.log(`t=${t}s (10 paused readers): gateway RSS ${rssOf(gw.child.pid).toFixed(1)} MiB, chaos RSS ${rssOf(chaos.child.pid).toFixed(1)} MiB`);
}
// one fast reader for comparison of stream size
const fast = await new Promise((resolve) => {
  const s = net.connect(gw.port, '127.0.0.1'); let got = 0; const t0 = Date.now();
  s.on('data', (d) => { got += d.length; if (d.toString().endsWith('0\r\n\r\n')) { s.destroy(); resolve({ got, ms: Date.now() - t0 }); } });
  s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
  s.on('close', () => resolve({ got, ms: Date.now() - t0 }));
});
console.log(`a full-speed reader got ${(fast.got / 1e6).toFixed(1)} MB in ${fast.ms} ms; gateway RSS now ${rssOf(gw.child.pid).toFixed(1)} MiB`);
for (const c of clients) c.s.destroy();
await new Promise((r) => setTimeout(r, 1500));
console.log(`after readers left: gateway RSS ${rssOf(gw.child.pid).toFixed(1)} MiB`);
const m = await fetch(gw.url + '/metrics').then((r) => r.text());
console.log(m.split('\n').filter((l) => /in_flight|streams_open|active/.test(l) && !l.startsWith('#')).join('\n'));
process.exit(0);
