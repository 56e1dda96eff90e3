// A3 (second face): the access log's pipe writes are asynchronous; when the reader is behind (a log shipper busy
// for a second), the lines still queued in the gateway when SIGTERM's drain ends are dropped by process.exit(0).
import { startChaos, writeConfig, twoEndpointConfig, startGateway, chat, sleep, exitOf, cleanup } from './lib.mjs';
const a = await startChaos('primary'); const b = await startChaos('backup');
const gw = await startGateway({ config: writeConfig(twoEndpointConfig(a.url, b.url)), args: ['--access-log'] });
let out = ''; gw.child.stdout.on('data', (c) => (out += c));
gw.child.stdout.pause(); // the reader is busy
let served = 0;
for (let i = 0; i < 1000; i++) if ((await chat(gw.url)).status === 200) served++;
gw.child.kill('SIGTERM');
const ex = await exitOf(gw.child, 20000);
gw.child.stdout.resume(); // the reader catches up with whatever reached the pipe
await sleep(500);
const lines = out.split('\n').filter((l) => l.startsWith('{')).length;
console.log(`requests answered 200: ${served}; gateway exit ${JSON.stringify(ex)}; access-log lines that reached the reader: ${lines} (lost: ${served - lines}); drain line present: ${out.includes('draining')}`);
cleanup(); process.exit(0);
