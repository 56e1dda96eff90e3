// Access log on stdout to a pipe whose reader has stopped reading (a stalled log shipper, `| sleep`):
// does the gateway keep serving?
import { startChaos, writeConfig, twoEndpointConfig, startGateway, chat, healthz, sleep, cleanup } from './lib.mjs';
const a = await startChaos('primary'); const b = await startChaos('backup');
const config = writeConfig(twoEndpointConfig(a.url, b.url));
const gw = await startGateway({ config, args: ['--access-log'] });
console.log('gateway', gw.url, 'pid', gw.child.pid);
gw.child.stdout.pause(); // the reader stops reading; the kernel pipe (64 KiB) + our 16 KiB buffer fill up
let ok = 0, fail = 0, firstFailAt = null;
const t0 = Date.now();
for (let i = 0; i < 2000 && Date.now() - t0 < 25000; i++) {
  const r = await chat(gw.url, { timeoutMs: 2000 });
  if (r.status === 200) ok++; else { fail++; if (firstFailAt === null) { firstFailAt = i; console.log(`request #${i} -> ${r.status} ${r.text} after ${r.ms} ms`); } if (fail >= 3) break; }
}
console.log(`served ${ok} before the first failure (failures: ${fail})`);
const h = await healthz(gw.url, 3000);
console.log('/healthz while the stdout pipe is full:', h.status, h.ms + 'ms', h.body.slice(0, 60));
// Is the process alive but blocked? Look at its state in /proc.
const { readFileSync } = await import('node:fs');
try { const st = readFileSync(`/proc/${gw.child.pid}/stat`, 'utf8').split(' '); console.log('process state:', st[2], 'wchan:', readFileSync(`/proc/${gw.child.pid}/wchan`, 'utf8')); } catch (e) { console.log('proc read', e.message); }
// Reader resumes: does it recover?
gw.child.stdout.resume();
await sleep(500);
const h2 = await healthz(gw.url, 3000);
const r2 = await chat(gw.url);
console.log('after the reader resumes: /healthz', h2.status, h2.ms + 'ms; chat', r2.status);
cleanup(); process.exit(0);
