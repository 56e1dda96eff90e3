// Upstream misbehaviours relayed through the gateway: gzip JSON, gzip SSE, 103 before 200, trailers, Connection-listed header,
// gzip+content-length 0, double gzip coding, content-encoding with uppercase.
import zlib from 'node:zlib';
import { rawUpstream, startGw, post, chatBody, completion, rawResponse } from './lib.mjs';
const sse = 'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hé"},"finish_reason":null}]}\n\ndata: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
const cases = {
  gzipJson: (s) => s.write(rawResponse(200, ['content-type: application/json', 'content-encoding: gzip'], zlib.gzipSync(completion('gz')))),
  gzipUpper: (s) => s.write(rawResponse(200, ['content-type: application/json', 'Content-Encoding: GZIP'], zlib.gzipSync(completion('gz')))),
  brJson: (s) => s.write(rawResponse(200, ['content-type: application/json', 'content-encoding: br'], zlib.brotliCompressSync(completion('br')))),
  gzipSse: (s) => s.write(rawResponse(200, ['content-type: text/event-stream', 'content-encoding: gzip'], zlib.gzipSync(sse))),
  early103: (s) => s.write(Buffer.concat([Buffer.from('HTTP/1.1 103 Early Hints\r\nlink: </a>; rel=preload\r\n\r\n'), rawResponse(200, ['content-type: application/json', 'x-final: yes'], completion())])),
  trailers: (s) => { const b = completion('tr'); s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\ntrailer: x-trail\r\n\r\n${b.length.toString(16)}\r\n${b}\r\n0\r\nx-trail: t\r\n\r\n`); },
  connListed: (s) => s.write(rawResponse(200, ['content-type: application/json', 'connection: x-hop, keep-alive', 'x-hop: secret-hop', 'keep-alive: timeout=5', 'x-keep: yes'], completion())),
  xDetour: (s) => s.write(rawResponse(200, ['content-type: application/json', 'X-Detour-Cost-Usd: 1000'], completion())),
  gzipIdentity: (s) => s.write(rawResponse(200, ['content-type: application/json', 'content-encoding: gzip, identity'], zlib.gzipSync(completion('gi')))),
  twoGzipHeaders: (s) => s.write(rawResponse(200, ['content-type: application/json', 'content-encoding: gzip', 'content-encoding: gzip'], zlib.gzipSync(zlib.gzipSync(completion('gg'))))),
  badGzip: (s) => s.write(rawResponse(200, ['content-type: application/json', 'content-encoding: gzip'], Buffer.concat([zlib.gzipSync(completion('bad')), Buffer.from('GARBAGE')]))),
};
let current = 'gzipJson';
const up = await rawUpstream((socket) => cases[current](socket));
const g = await startGw([{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }], { router: { retry: { maxAttempts: 1 } } }).catch(async (e) => { console.log('cfg', e.message); return startGw([{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }]); });
for (const name of Object.keys(cases)) {
  current = name;
  const r = await post(g.url + '/v1/chat/completions', name === 'gzipSse' ? { ...chatBody, stream: true } : chatBody).catch((e) => ({ status: 'ERR ' + e.message, rawHeaders: [], body: Buffer.alloc(0) }));
  const hs = []; for (let j = 0; j < r.rawHeaders.length; j += 2) if (!/^(date|connection|x-detour-(model|attempts|endpoint))$/i.test(r.rawHeaders[j])) hs.push(`${r.rawHeaders[j]}: ${r.rawHeaders[j + 1]}`);
  console.log(`== ${name}: ${r.status} ${r.error ?? ''}\n   headers: ${hs.join(' | ')}\n   body: ${r.body.toString().slice(0, 160).replace(/\n/g, '\\n')}`);
}
await g.close(100); up.server.close(); process.exit(0);
