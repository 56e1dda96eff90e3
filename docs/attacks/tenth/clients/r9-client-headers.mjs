// Raw client framing/encoding cases against the gateway; upstream echoes what it received.
import net from 'node:net'; import zlib from 'node:zlib';
import { upstream, gateway, chatChunk, chatDone, sleep, now } from './lib.mjs';
let compress = null;
const up = await upstream(async (req, res, body, e) => {
  e.body = body.toString('latin1');
  const j = JSON.parse(body.toString());
  const text = j.stream ? chatChunk('Hello ') + chatChunk('world') + chatDone() : JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4.1-mini', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello world' } }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
  const h = { 'content-type': j.stream ? 'text/event-stream' : 'application/json' };
  if (compress) { const z = compress === 'gzip' ? zlib.gzipSync(text) : zlib.brotliCompressSync(text); res.writeHead(200, { ...h, 'content-encoding': compress, 'content-length': z.length }); res.end(z); }
  else { res.writeHead(200, h); res.end(text); }
});
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: up.url }] });
const port = new URL(gw.url).port;
const json = (stream = false) => JSON.stringify({ model: 'gpt-4.1-mini', stream, messages: [{ role: 'user', content: 'hi' }] });
function raw(bytes, { waitMs = 1500, onData } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1'); const chunks = [];
    s.on('data', (d) => { chunks.push(d); onData?.(s, Buffer.concat(chunks).toString('latin1')); }); s.on('error', (e) => chunks.push(Buffer.from(`<${e.code}>`)));
    const done = () => resolve(Buffer.concat(chunks).toString('latin1'));
    s.on('close', done); setTimeout(() => { s.destroy(); }, waitMs);
    if (typeof bytes === 'function') bytes(s); else s.write(bytes);
  });
}
const hdr = 'host: x\r\nauthorization: Bearer gk\r\ncontent-type: application/json\r\n';
const show = (label, out) => { const [head, ...rest] = out.split('\r\n\r\n'); console.log(`--- ${label}\n${head.split('\r\n').filter((l) => /^HTTP|content-length|transfer-encoding|content-encoding|x-detour-error|connection/i.test(l)).join(' | ')}\n  body: ${JSON.stringify(rest.join('\r\n\r\n').slice(0, 260))}`); };
// 1. Expect: 100-continue
show('expect 100-continue', await raw((s) => { s.write(`POST /v1/chat/completions HTTP/1.1\r\n${hdr}content-length: ${json().length}\r\nexpect: 100-continue\r\n\r\n`); s.once('data', () => s.write(json())); }));
// 2. chunked with trailers
show('chunked + trailer', await raw(`POST /v1/chat/completions HTTP/1.1\r\n${hdr}transfer-encoding: chunked\r\ntrailer: x-t\r\n\r\n${json().length.toString(16)}\r\n${json()}\r\n0\r\nx-t: 1\r\n\r\n`));
// 3. gzip request body
const gz = zlib.gzipSync(json());
const before = up.log.length;
show('content-encoding: gzip request', await raw(Buffer.concat([Buffer.from(`POST /v1/chat/completions HTTP/1.1\r\n${hdr}content-encoding: gzip\r\ncontent-length: ${gz.length}\r\n\r\n`), gz])));
console.log('  upstream got', up.log.length - before, 'requests', up.log.slice(before).map((e) => ({ ce: e.headers['content-encoding'], body: e.body?.slice(0, 60) })));
// 4. HTTP/1.0
show('HTTP/1.0 stream', await raw(`POST /v1/chat/completions HTTP/1.0\r\n${hdr}content-length: ${json(true).length}\r\n\r\n${json(true)}`));
// 5. pipelining: two requests in one write
const p = await raw(`POST /v1/chat/completions HTTP/1.1\r\n${hdr}content-length: ${json(true).length}\r\n\r\n${json(true)}POST /v1/chat/completions HTTP/1.1\r\n${hdr}content-length: ${json().length}\r\n\r\n${json()}`);
console.log('--- pipelined: responses seen', (p.match(/HTTP\/1.1 \d+/g) || []), 'has [DONE]', p.includes('[DONE]'), 'has Hello world json', p.includes('"content":"Hello world"'));
// 6. upstream compresses (gzip, br), stream and json, caller sends accept-encoding: gzip
for (const c of ['gzip', 'br']) for (const st of [true, false]) {
  compress = c; const b0 = up.log.length;
  const out = await raw(`POST /v1/chat/completions HTTP/1.1\r\n${hdr}accept-encoding: gzip, br\r\nconnection: close\r\ncontent-length: ${json(st).length}\r\n\r\n${json(st)}`);
  show(`upstream ${c} stream=${st}`, out);
  console.log('  accept-encoding forwarded upstream:', up.log[b0]?.headers['accept-encoding']);
}
compress = null;
console.log('stderr:', JSON.stringify(gw.stderr.slice(0, 300)));
gw.stop(); up.close(); process.exit(0);
