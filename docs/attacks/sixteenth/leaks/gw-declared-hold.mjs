// Budget taken on the *declared* Content-Length before a byte arrives: a few authenticated connections that declare
// big bodies and send nothing hold maxBodyBytesInFlight until requestTimeoutMs (2 s here; 30 s by default), and every
// other caller gets 503 gateway_overloaded meanwhile. Not a leak (it returns at the timeout), but repeatable at will.
import net from 'node:net';
import { setup, raw, KEY, sleep, statusOf, LIMIT } from './gw-harness.mjs';
const kill = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 30000);
const { ups, gw, port } = await setup();
const idle = () => { const s = net.connect(port, '127.0.0.1'); s.on('error', () => {}); s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${KEY}\r\ncontent-type: application/json\r\ncontent-length: ${LIMIT}\r\n\r\n`); return s; };
const normal = async () => statusOf((await raw(port, { headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) })).got);
console.log('before: normal request ->', await normal());
const s = idle(); // one connection, zero body bytes sent
await sleep(100);
const t0 = Date.now();
const seen = [];
while (Date.now() - t0 < 2600) { seen.push(`${Date.now() - t0}ms:${await normal()}`); await sleep(400); }
console.log('while one idle connection declares', LIMIT, 'bytes:', seen.join(' '));
s.destroy(); await gw.close(100); for (const u of ups) await u.close(); clearTimeout(kill);
