// Signals as an operator (or a supervisor) sends them, with a stream (~4 s) and a JSON request in flight.
import { startChaos, writeConfig, twoEndpointConfig, startGateway, healthz, sleep, exitOf, cleanup } from './lib.mjs';
import http from 'node:http';
const slow = [{ fault: { type: 'slow-body', chunkDelayMs: 400 } }];
const a = await startChaos('primary', slow); const b = await startChaos('backup', slow);
const config = writeConfig(twoEndpointConfig(a.url, b.url, { shutdownGraceMs: 10000 }));
const req = (url, stream) => new Promise((resolve) => {
  const u = new URL(url); const t0 = Date.now();
  const r = http.request({ host: u.hostname, port: u.port, path: '/v1/chat/completions', method: 'POST', agent: false, headers: { authorization: 'Bearer gk', 'content-type': 'application/json' } }, (res) => {
    let body = ''; res.on('data', (c) => (body += c));
    res.on('end', () => resolve(`${res.statusCode} complete=${res.complete} ${stream ? (body.includes('[DONE]') ? 'ends with [DONE]' : 'NO [DONE]: cut') : (body.includes('"choices"') ? 'whole JSON' : 'partial JSON')} after ${Date.now() - t0} ms`));
    res.on('error', (e) => resolve(`${res.statusCode} then ${e.code ?? e.message} after ${Date.now() - t0} ms (body ${body.length} bytes)`));
    res.on('aborted', () => resolve(`${res.statusCode} aborted after ${Date.now() - t0} ms`));
  });
  r.on('error', (e) => resolve(`request error ${e.code} after ${Date.now() - t0} ms`));
  r.end(JSON.stringify({ model: 'gpt-4.1-mini', stream, messages: [{ role: 'user', content: 'hi' }] }));
});
async function scenario(label, signals) {
  const gw = await startGateway({ config });
  let out = ''; gw.child.stdout.on('data', (c) => (out += c)); gw.child.stderr.on('data', (c) => (out += c));
  const inflight = [req(gw.url, true), req(gw.url, false)];
  await sleep(500);
  for (const [sig, at] of signals) { await sleep(at); gw.child.kill(sig); }
  await sleep(200);
  const h = await healthz(gw.url, 1000);
  const [s, j] = await Promise.all(inflight);
  const ex = await exitOf(gw.child, 20000);
  console.log(`${label}:\n  stream: ${s}\n  json: ${j}\n  new connection to /healthz during drain: ${h.status} ${h.body.slice(0, 40)}\n  exit: code=${ex.code} signal=${ex.signal}\n  output: ${JSON.stringify(out.replace(/Detour gateway listening on \S+\n/, ''))}`);
  gw.child.kill('SIGKILL');
}
await scenario('SIGTERM once', [['SIGTERM', 0]]);
await scenario('SIGTERM, then SIGTERM again 300 ms into the drain', [['SIGTERM', 0], ['SIGTERM', 300]]);
await scenario('SIGTERM, then SIGINT 300 ms into the drain', [['SIGTERM', 0], ['SIGINT', 300]]);
await scenario('SIGHUP (terminal closed; `kill -HUP` to reopen logs)', [['SIGHUP', 0]]);
await scenario('SIGPIPE', [['SIGPIPE', 0], ['SIGTERM', 3500]]);
cleanup(); process.exit(0);
