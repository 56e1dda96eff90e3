import { upstream, rawUpstream, endpoints, createFetch, OpenAI, okChat, backupOk, startGateway, hardTimeout } from './lib.mjs';
import zlib from 'node:zlib';
const t = hardTimeout(90000);
const sse = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":"hi from A"},"finish_reason":null}]}\n\ndata: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
const backup = (q, s) => { if (JSON.parse(q.body || '{}').stream) { s.writeHead(200, { 'content-type': 'text/event-stream' }); s.end(sse.replace('hi from A', 'hi from BACKUP')); } else backupOk(q, s); };
const cases = {
  gzipJson: [false, (q, s) => { const z = zlib.gzipSync(okChat.replace('hello from backup', 'A gz')); s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': z.length }); s.end(z); }],
  brJson: [false, (q, s) => { const z = zlib.brotliCompressSync(okChat.replace('hello from backup', 'A br')); s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' }); s.end(z); }],
  deflateRawJson: [false, (q, s) => { const z = zlib.deflateRawSync(okChat.replace('hello from backup', 'A rawdeflate')); s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' }); s.end(z); }],
  gzipLiesPlain: [false, (q, s) => { s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }); s.end(okChat.replace('hello from backup', 'A plain')); }],
  GZIPupper: [false, (q, s) => { const z = zlib.gzipSync(okChat.replace('hello from backup', 'A GZIP')); s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'GZIP' }); s.end(z); }],
  gzipTwice: [false, (q, s) => { const z = zlib.gzipSync(zlib.gzipSync(okChat)); s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip, gzip' }); s.end(z); }],
  gzipTrailingGarbage: [false, (q, s) => { const z = Buffer.concat([zlib.gzipSync(okChat.replace('hello from backup', 'A gz+garbage')), Buffer.from('GARBAGE')]); s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }); s.end(z); }],
  gzipTruncated: [false, (q, s) => { const z = zlib.gzipSync(okChat); s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }); s.end(z.subarray(0, z.length - 6)); }],
  gzipSse: [true, (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' }); const g = zlib.createGzip(); g.pipe(s); g.write(sse.slice(0, 150)); g.flush(() => setTimeout(() => g.end(sse.slice(150)), 50)); }],
  gzipErr400: [false, (q, s) => { const z = zlib.gzipSync(JSON.stringify({ error: { message: 'bad thing from A', type: 'invalid_request_error', code: 'x' } })); s.writeHead(400, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': z.length }); s.end(z); }],
  gzipErr429: [false, (q, s) => { const z = zlib.gzipSync(JSON.stringify({ error: { message: 'slow', type: 'requests', code: 'rate_limit_exceeded' } })); s.writeHead(429, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'retry-after': '1' }); s.end(z); }],
  zstd: [false, (q, s) => { s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd' }); s.end('xx'); }],
};
const which = process.argv[2] ?? 'both';
for (const [name, [stream, h]] of Object.entries(cases)) {
  for (const via of ['createFetch', 'gateway']) {
    if (which !== 'both' && which !== via) continue;
    const a = await upstream('a', h); const b = await upstream('b', backup);
    let gw, client;
    if (via === 'gateway') { gw = await startGateway(endpoints(a, b)); client = new OpenAI({ apiKey: 'gk-test', baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 15000 }); }
    else client = new OpenAI({ apiKey: 'x', fetch: createFetch({ endpoints: endpoints(a, b) }), maxRetries: 0, timeout: 15000 });
    try {
      if (stream) { const st = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], stream: true }); let txt = ''; for await (const e of st) txt += e.choices[0]?.delta?.content ?? ''; console.log(via, name, '-> stream text', JSON.stringify(txt), 'a', a.log.length, 'b', b.log.length); }
      else { const { data, response } = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }).withResponse(); console.log(via, name, '-> ok', response.status, JSON.stringify(data.choices?.[0]?.message?.content), 'ce', response.headers.get('content-encoding'), 'cl', response.headers.get('content-length'), 'a', a.log.length, 'b', b.log.length); }
    } catch (e) { console.log(via, name, '-> threw', e.constructor.name, e.status, String(e.message).slice(0, 120), 'ce', e.headers?.get?.('content-encoding') ?? e.headers?.['content-encoding'], 'a', a.log.length, 'b', b.log.length); }
    gw?.close(); a.close(); b.close();
  }
}
clearTimeout(t); process.exit(0);
