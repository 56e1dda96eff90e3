// Expect: 100-continue, chunked bodies, oversize bodies, curl -d @big.json
import { startChaos, startGateway, raw, AUTH, CHAT, hardTimeout, summarize } from './harness.mjs';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
hardTimeout(120000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url, { maxBodyBytes: 1_000_000, maxBodyBytesInFlight: 2_000_000 });
const P = gw.port;
const big = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'x'.repeat(50_000) }] });
writeFileSync('/tmp/attack17b/scripts/big.json', big);
const huge = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'x'.repeat(1_500_000) }] });
writeFileSync('/tmp/attack17b/scripts/huge.json', huge);
const curl = (args) => { const t = Date.now(); let out; try { out = execFileSync('nice', ['-n', '19', 'curl', '-sS', '-m', '10', '-o', '/dev/null', '-w', '%{http_code} size=%{size_download} t=%{time_total}', ...args], { encoding: 'utf8' }); } catch (e) { out = 'ERR ' + e.stdout + e.stderr; } return `${out} (wall ${Date.now() - t}ms)`; };
const base = [`${gw.url}/v1/chat/completions`, '-H', 'authorization: Bearer gk-test-key', '-H', 'content-type: application/json'];
console.log('curl -d @big.json (50KB, Expect auto):', curl([...base, '-v', '-d', '@/tmp/attack17b/scripts/big.json']));
console.log('curl -d @huge.json (1.5MB > 1MB limit):', curl([...base, '-d', '@/tmp/attack17b/scripts/huge.json']));
console.log('curl chunked upload big.json:', curl([...base, '-H', 'transfer-encoding: chunked', '--data-binary', '@/tmp/attack17b/scripts/big.json']));
console.log('curl chunked upload huge.json:', curl([...base, '-H', 'transfer-encoding: chunked', '--data-binary', '@/tmp/attack17b/scripts/huge.json']));
console.log('curl bad key + big.json w/ Expect:', curl([`${gw.url}/v1/chat/completions`, '-H', 'authorization: Bearer nope', '-H', 'content-type: application/json', '-d', '@/tmp/attack17b/scripts/huge.json']));
// Raw Expect: does the 100 come before auth?
const hdr = (auth, cl, extra = '') => `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${auth}content-type: application/json\r\n${extra}content-length: ${cl}\r\nexpect: 100-continue\r\n\r\n`;
let r = await raw(P, hdr('authorization: Bearer wrong\r\n', 500000), { quietMs: 600 });
console.log('Expect + wrong key (headers only):', JSON.stringify(r.data.slice(0, 60)));
r = await raw(P, hdr(AUTH, 5_000_000), { quietMs: 600 });
console.log('Expect + CL 5MB > limit:', summarize(r.data));
r = await raw(P, hdr(AUTH, 500000, 'content-encoding: gzip\r\n'), { quietMs: 600 });
console.log('Expect + gzip:', JSON.stringify(r.data.slice(0, 60)));
r = await raw(P, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: 10\r\nexpect: 200-ok\r\nconnection: close\r\n\r\n`, { quietMs: 600 });
console.log('Expect: 200-ok ->', summarize(r.data));
// HTTP/1.0 + Expect (RFC: server must ignore 100-continue from 1.0 client)
r = await raw(P, `POST /v1/chat/completions HTTP/1.0\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\nexpect: 100-continue\r\n\r\n${CHAT}`, { quietMs: 600 });
console.log('HTTP/1.0 + Expect ->', summarize(r.data));
// Declared CL larger than sent, then stall: what bounds it?
const t0 = Date.now();
r = await raw(P, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: 1000\r\n\r\n{"model":`, { quietMs: 40000, maxMs: 45000 });
console.log(`short body, stalled: ${summarize(r.data)} after ${Date.now() - t0}ms [${r.why}] ${JSON.stringify(r.data.slice(-200))}`);
process.exit(0);
