// The caller leaves 500 ms into a request whose upstream has not answered yet (JSON and stream:true).
// Docs: "A caller who disconnects cancels the upstream request at once." When does the upstream see its close?
import http from 'node:http';
import { startAll, GK, stats } from './lib.mjs';
setTimeout(() => { console.log('WATCHDOG'); process.exit(2); }, 90000).unref();
const durable = process.argv[2] === 'durable';
const s = await startAll({ durable, extra: { router: { deadlineMs: 8000, firstByteTimeoutMs: 7000, streamIdleTimeoutMs: 7000, maxAttempts: 2 } } });
const H = { authorization: 'Bearer ' + GK, 'content-type': 'application/json' };
for (const stream of [false, true]) for (const [name, base] of [['node', s.nodeUrl], ['worker' + (durable ? '+DO' : ''), s.workerUrl]]) {
  const c0 = stats.closedByPeer, r0 = stats.requests; const u = new URL(base);
  const t0 = Date.now();
  const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: '/v1/chat/completions', headers: H, agent: false });
  req.on('error', () => {});
  req.end(JSON.stringify({ model: 'hang', stream, messages: [] }));
  await new Promise((r) => setTimeout(r, 500)); req.destroy();
  while (stats.closedByPeer === c0 && Date.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  console.log(`${name} stream=${stream}: caller left at 500 ms; upstream closed ${stats.closedByPeer > c0 ? `at ${Date.now() - t0 - 300} ms` : 'NOT within 10 s'}; upstream requests ${stats.requests - r0}`);
}
await s.stop(); process.exit(0);
