// Idle connections, slowloris, keep-alive idle, half-close. headersTimeoutMs=2000, requestTimeoutMs=4000.
import net from 'node:net';
import { readdirSync } from 'node:fs';
import { startChaos, startGateway, raw, AUTH, CHAT, CHAT_STREAM, hardTimeout, summarize } from './harness.mjs';
hardTimeout(120000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url, { headersTimeoutMs: 2000, requestTimeoutMs: 4000 });
const P = gw.port;
const nodePid = () => { // the node child of `nice`: nice execs node, so same pid
  return gw.child.pid; };
const fds = () => readdirSync(`/proc/${nodePid()}/fd`).length;

console.log('fds at start', fds());
// 1. 2000 connections that send nothing
const socks = [];
let closedByServer = 0;
for (let i = 0; i < 2000; i++) {
  const s = net.connect(P, '127.0.0.1'); s.on('error', () => {}); s.on('close', () => { closedByServer++; }); socks.push(s);
}
await new Promise((r) => setTimeout(r, 1000));
console.log(`2000 silent conns: after 1s fds=${fds()} closed=${closedByServer}`);
await new Promise((r) => setTimeout(r, 2500));
console.log(`after 3.5s fds=${fds()} closed=${closedByServer}`);
await new Promise((r) => setTimeout(r, 3000));
console.log(`after 6.5s fds=${fds()} closed=${closedByServer}`);
for (const s of socks) s.destroy();
await new Promise((r) => setTimeout(r, 500));
// 2. slowloris header drip
{
  const s = net.connect(P, '127.0.0.1'); const t0 = Date.now(); let got = '';
  s.on('data', (d) => { got += d; }); s.on('error', () => {});
  const drip = setInterval(() => { if (!s.destroyed) s.write('x-a: b\r\n'); }, 300);
  s.write('GET /healthz HTTP/1.1\r\nhost: x\r\n');
  await new Promise((r) => s.on('close', r));
  clearInterval(drip);
  console.log(`slowloris header drip: closed after ${Date.now() - t0}ms got=${JSON.stringify(got.slice(0, 40))}`);
}
// 3. slow body drip (1 byte/200ms) with CL
{
  const s = net.connect(P, '127.0.0.1'); const t0 = Date.now(); let got = '';
  s.on('data', (d) => { got += d; }); s.on('error', () => {});
  s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: 100000\r\n\r\n{"model":"gpt-4.1-mini","x":"`);
  const drip = setInterval(() => { if (!s.destroyed) s.write('a'); }, 200);
  await new Promise((r) => s.on('close', r));
  clearInterval(drip);
  console.log(`slow body drip: closed after ${Date.now() - t0}ms got=${JSON.stringify(got.slice(0, 40))}`);
}
// 4. keep-alive idle after one request
{
  const s = net.connect(P, '127.0.0.1'); let t1; let got = '';
  s.on('data', (d) => { got += d; if (!t1) t1 = Date.now(); }); s.on('error', () => {});
  s.write(`GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n`);
  await new Promise((r) => s.on('close', r));
  console.log(`keep-alive idle: server closed ${Date.now() - t1}ms after response; keep-alive header: ${/keep-alive: [^\r]*/i.exec(got)?.[0]}`);
}
// 5. half-close after request
for (const [label, body] of [['json', CHAT], ['stream', CHAT_STREAM]]) {
  const r = await raw(P, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`, { halfClose: true, quietMs: 1500 });
  console.log(`half-close (${label}): ${summarize(r.data)} [${r.why}] ends with ${JSON.stringify(r.data.slice(-40))}`);
}
// 6. half-close mid-body (client sends FIN before body complete) -> expect 400, not hang
{
  const r = await raw(P, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: 500\r\n\r\n{"model":`, { halfClose: true, quietMs: 6000, maxMs: 8000 });
  console.log(`half-close mid-body: ${JSON.stringify(r.data.slice(0, 200))} [${r.why}]`);
}
console.log('fds at end', fds());
console.log('gateway stderr:', gw.child.err);
process.exit(0);
