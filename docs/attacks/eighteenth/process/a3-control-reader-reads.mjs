// A3 control: same load, same heap cap, a reader that reads: the gateway lives.
import { startChaos, writeConfig, twoEndpointConfig, startGateway, sleep, exitOf, cleanup } from './lib.mjs';
import { readFileSync } from 'node:fs';
import http from 'node:http';
const rss = (pid) => { try { return (Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024).toFixed(0); } catch { return 'gone'; } };
const a = await startChaos('primary'); const b = await startChaos('backup');
const config = writeConfig(twoEndpointConfig(a.url, b.url));
const gw = await startGateway({ config, args: ['--access-log'], nodeFlags: ['--max-old-space-size=64'] });
let got = 0; gw.child.stdout.on('data', (c) => (got += c.length));
const pid = gw.child.pid;
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const path = '/' + 'a'.repeat(12000);
const u = new URL(gw.url);
const once = () => new Promise((resolve) => {
  const req = http.request({ host: u.hostname, port: u.port, path, agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
  req.on('error', () => resolve('ERR')); req.end();
});
const t0 = Date.now(); let n = 0; let dead = false; gw.child.once('exit', () => (dead = true)); const statuses = {};
const worker = async () => { while (!dead && Date.now() - t0 < 15000) { const s = await once(); statuses[s] = (statuses[s] ?? 0) + 1; n++; if (n % 16 === 0) await sleep(10); } };
await Promise.all(Array.from({ length: 16 }, worker));
console.log(`control: ${n} requests in 15 s, statuses ${JSON.stringify(statuses)}, reader got ${(got / 1e6).toFixed(1)} MB, gateway alive: ${!dead}, RSS ${rss(pid)} MiB`);
cleanup(); process.exit(0);
