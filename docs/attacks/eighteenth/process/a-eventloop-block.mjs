// How long can one authenticated request under maxBodyBytes (32 MiB) block the event loop? A probe hits /healthz
// every 20 ms while bodies of different shapes go through; prints the worst /healthz latency per shape.
import { startChaos, writeConfig, twoEndpointConfig, startGateway, sleep, cleanup } from './lib.mjs';
import http from 'node:http';
const a = await startChaos('primary'); const b = await startChaos('backup');
const gw = await startGateway({ config: writeConfig(twoEndpointConfig(a.url, b.url)), nodeFlags: [] });
gw.child.stdout.on('data', () => {}); gw.child.stderr.on('data', () => {});
const u = new URL(gw.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const probe = () => new Promise((resolve) => { const t0 = performance.now(); http.get({ host: u.hostname, port: u.port, path: '/healthz', agent }, (r) => { r.resume(); r.on('end', () => resolve(performance.now() - t0)); }).on('error', () => resolve(NaN)); });
const shapes = {
  'one 30 MiB string': JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'a'.repeat(30e6) }] }),
  '300k small messages': JSON.stringify({ model: 'gpt-4.1-mini', messages: Array.from({ length: 300000 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: 'hello there ' + i })) }),
  'many unicode escapes (\\u00e9 x 5M)': '{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"' + '\\u00e9'.repeat(5e6) + '"}]}',
  '1M-element number array in a tool arg': JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'x' }], metadata_blob: Array.from({ length: 2500000 }, (_, i) => i) }),
};
for (const [name, body] of Object.entries(shapes)) {
  let worst = 0; let going = true;
  const p = (async () => { while (going) { const ms = await probe(); worst = Math.max(worst, ms); await sleep(20); } })();
  const t0 = performance.now();
  const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk', 'content-type': 'application/json' }, body });
  const text = await r.text();
  going = false; await p;
  console.log(`${name} (${(body.length / 1048576).toFixed(1)} MiB): ${r.status} ${r.status !== 200 ? text.slice(0, 120) : ''} in ${(performance.now() - t0).toFixed(0)} ms; worst /healthz latency meanwhile ${worst.toFixed(0)} ms`);
}
cleanup(); process.exit(0);
