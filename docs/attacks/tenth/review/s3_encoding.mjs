// Content-Encoding variants against the gateway (real sockets). Prints status / x-detour-error per variant.
import net from 'node:net';
import { upstream, gateway, sleep } from '../clients/lib.mjs';
const up = await upstream(async (req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] })); });
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: up.url }] });
const port = new URL(gw.url).port;
const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
const raw = (head, payload) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1'); let out = '';
  s.on('data', (d) => { out += d; }); s.on('close', () => resolve(out)); s.on('error', () => resolve(out + ' [error]'));
  s.write(head + payload); setTimeout(() => s.end(), 400);
});
for (const enc of ['gzip', 'identity', 'IDENTITY', ' identity ', 'identity, ', 'identity,identity', ', identity', '', 'gzip, identity', 'identity; q=1']) {
  const r = await fetch(gw.url + '/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer gk', 'content-type': 'application/json', 'content-encoding': enc }, body });
  console.log(JSON.stringify(enc).padEnd(20), r.status, r.headers.get('x-detour-error') ?? '', r.headers.get('accept-encoding') ?? '');
}
// Duplicate Content-Encoding headers (Node joins them with ", ")
const two = await raw(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-encoding: identity\r\ncontent-encoding: identity\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`, body);
console.log('two identity headers ->', two.split('\r\n')[0], (two.match(/x-detour-error: (\S+)/) ?? [])[1] ?? '');
// Messages route
const mb = JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
const m = await fetch(gw.url + '/v1/messages', { method: 'POST', headers: { 'x-api-key': 'gk', authorization: 'Bearer gk', 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: mb });
console.log('/v1/messages gzip', m.status, await m.text());
// Unauthenticated gzip request: 401 first?
const u = await fetch(gw.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body });
console.log('no key + gzip ->', u.status);
// Keep-alive: a 415 for a 5 MB body, then a second request on the same socket
const big = 'x'.repeat(5 * 1048576);
const t = Date.now();
const ka = await new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1'); let out = '';
  s.on('data', (d) => { out += d; if (/HTTP\/1.1 \d+[\s\S]*HTTP\/1.1 \d+/.test(out)) { resolve(out); s.destroy(); } });
  s.on('close', () => resolve(out + ' [closed]')); s.on('error', () => {});
  s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: ${big.length}\r\n\r\n`);
  s.write(big, () => s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`));
  setTimeout(() => resolve(out + ' [timeout]'), 5000);
});
console.log('keep-alive after 415:', (ka.match(/HTTP\/1.1 \d+/g) ?? []).join(' then '), ka.endsWith(']') ? ka.slice(ka.lastIndexOf('[')) : '', `${Date.now() - t}ms`);
gw.stop(); up.close(); process.exit(0);
