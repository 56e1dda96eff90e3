// A7: what a load balancer / kube-proxy sees while the gateway drains after SIGTERM: a balancer's health check on
// its kept-alive connection, and new connections (a Service's endpoints still list the pod for a moment).
import { startChaos, writeConfig, twoEndpointConfig, startGateway, sleep, exitOf, cleanup } from './lib.mjs';
import http from 'node:http';
const slow = [{ when: { stream: true }, fault: { type: 'slow-body', chunkDelayMs: 500 } }];
const a = await startChaos('primary', slow); const b = await startChaos('backup', slow);
const gw = await startGateway({ config: writeConfig(twoEndpointConfig(a.url, b.url, { shutdownGraceMs: 10000 })) });
gw.child.stdout.on('data', () => {});
const u = new URL(gw.url);
const lbAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = (agent) => new Promise((resolve) => http.get({ host: u.hostname, port: u.port, path: '/healthz', agent }, (r) => { r.resume(); r.on('end', () => resolve(`${r.statusCode} connection=${r.headers.connection}`)); }).on('error', (e) => resolve(`ERR ${e.code}`)));
console.log('balancer check before SIGTERM:', await get(lbAgent));
// a long stream keeps the drain going
const s = http.request({ host: u.hostname, port: u.port, path: '/v1/chat/completions', method: 'POST', agent: false, headers: { authorization: 'Bearer gk', 'content-type': 'application/json' } }, (r) => { let t = ''; r.on('data', (c) => (t += c)); r.on('end', () => console.log(`in-flight stream finished: ${r.statusCode}, [DONE]=${t.includes('[DONE]')}`)); });
s.end(JSON.stringify({ model: 'gpt-4.1-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
await sleep(300);
gw.child.kill('SIGTERM');
const t0 = Date.now();
for (let i = 0; i < 6; i++) {
  await sleep(500);
  console.log(`t+${Date.now() - t0} ms: balancer check on its kept-alive connection: ${await get(lbAgent)}; a new caller connection: ${await get(false)}`);
}
console.log('exit', await exitOf(gw.child, 15000));
cleanup(); process.exit(0);
