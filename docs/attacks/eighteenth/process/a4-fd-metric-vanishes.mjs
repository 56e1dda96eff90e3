// A4: /metrics' process_open_fds is read with readdirSync('/proc/self/fd'), which needs a descriptor itself: when
// the table is full (the moment it matters) the gauge silently disappears from the scrape; and there is no
// process_max_fds to alert against. Gateway under nofile=64; idle caller connections fill the table.
import { startChaos, writeConfig, twoEndpointConfig, startGateway, sleep, cleanup } from './lib.mjs';
import net from 'node:net';
import http from 'node:http';
import { readdirSync } from 'node:fs';
const a = await startChaos('primary'); const b = await startChaos('backup');
const gw = await startGateway({ config: writeConfig(twoEndpointConfig(a.url, b.url)), pre: ['prlimit', '--nofile=64:64'] });
gw.child.stdout.on('data', () => {}); gw.child.stderr.on('data', () => {});
const u = new URL(gw.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const scrape = () => new Promise((resolve) => http.get({ host: u.hostname, port: u.port, path: '/metrics', agent }, (res) => { let t = ''; res.on('data', (c) => (t += c)); res.on('end', () => resolve(t)); }).on('error', (e) => resolve(`ERR ${e.code}`)));
const fdLines = (t) => t.split('\n').filter((l) => /^process_(open|max)_fds/.test(l)).join(' | ') || '(no process_open_fds / process_max_fds line)';
console.log('scrape at rest:', fdLines(await scrape()));
const socks = [];
for (let i = 0; i < 80; i++) { const s = net.connect(Number(u.port), u.hostname); s.on('error', () => {}); socks.push(s); await sleep(5); }
await sleep(500);
console.log(`gateway fds now: ${readdirSync(`/proc/${gw.child.pid}/fd`).length} of 64`);
console.log('scrape with the table full (on the already-open keep-alive connection):', fdLines(await scrape()));
for (const s of socks) s.destroy();
await sleep(500);
console.log('scrape after:', fdLines(await scrape()));
cleanup(); process.exit(0);
