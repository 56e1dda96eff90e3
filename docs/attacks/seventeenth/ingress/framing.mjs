import { startChaos, startGateway, raw, AUTH, CHAT, CHAT_STREAM, hardTimeout, summarize } from './harness.mjs';
import { gzipSync } from 'node:zlib';
hardTimeout(170000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url, {}, { args: ['--access-log'] });
const P = gw.port;
const H = (extra = '') => `host: 127.0.0.1\r\n${AUTH}content-type: application/json\r\n${extra}`;
const post = (path, body, extra = '', ver = '1.1') => `POST ${path} HTTP/${ver}\r\n${H(extra)}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const cases = {
  'A CL+TE': `POST /v1/chat/completions HTTP/1.1\r\n${H()}content-length: 4\r\ntransfer-encoding: chunked\r\n\r\n${CHAT.length.toString(16)}\r\n${CHAT}\r\n0\r\n\r\n`,
  'B dup CL differing': `POST /v1/chat/completions HTTP/1.1\r\n${H()}content-length: ${CHAT.length}\r\ncontent-length: 5\r\n\r\n${CHAT}`,
  'B2 dup CL same': `POST /v1/chat/completions HTTP/1.1\r\n${H()}content-length: ${CHAT.length}\r\ncontent-length: ${CHAT.length}\r\nconnection: close\r\n\r\n${CHAT}`,
  'C obs-fold': `POST /v1/chat/completions HTTP/1.1\r\n${H()}x-foo: a\r\n b\r\ncontent-length: ${CHAT.length}\r\n\r\n${CHAT}`,
  'D chunk ext + trailers': `POST /v1/chat/completions HTTP/1.1\r\n${H()}transfer-encoding: chunked\r\nconnection: close\r\n\r\n${CHAT.length.toString(16)};foo=bar\r\n${CHAT}\r\n0\r\nx-trailer: 1\r\n\r\n`,
  'D2 TE chunked, gzip': `POST /v1/chat/completions HTTP/1.1\r\n${H()}transfer-encoding: gzip, chunked\r\nconnection: close\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n`,
  'D3 TE: chunked (obfuscated " chunked")': `POST /v1/chat/completions HTTP/1.1\r\n${H()}transfer-encoding : chunked\r\ncontent-length: ${CHAT.length}\r\nconnection: close\r\n\r\n${CHAT}`,
  'F pipelined 2 POSTs (1st stream)': post('/v1/chat/completions', CHAT_STREAM) + post('/v1/chat/completions', CHAT, 'connection: close\r\n'),
  'G HTTP/1.0 JSON': post('/v1/chat/completions', CHAT, '', '1.0'),
  'G2 HTTP/1.0 stream': post('/v1/chat/completions', CHAT_STREAM, '', '1.0'),
  'G3 HTTP/1.0 no host': `POST /v1/chat/completions HTTP/1.0\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\n\r\n${CHAT}`,
  'H connection close': post('/v1/chat/completions', CHAT, 'connection: close\r\n'),
  'R HTTP/1.1 no host': `POST /v1/chat/completions HTTP/1.1\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\nconnection: close\r\n\r\n${CHAT}`,
  'S bad host': `POST /v1/chat/completions HTTP/1.1\r\nhost: a b\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\nconnection: close\r\n\r\n${CHAT}`,
  'S2 host with path': `POST /v1/chat/completions HTTP/1.1\r\nhost: evil.com/x?\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\nconnection: close\r\n\r\n${CHAT}`,
  'S3 host [::1': `GET /healthz HTTP/1.1\r\nhost: [::1\r\nconnection: close\r\n\r\n`,
  'P absolute-form': `POST http://evil.example/v1/chat/completions HTTP/1.1\r\n${H('connection: close\r\n')}content-length: ${CHAT.length}\r\n\r\n${CHAT}`,
  'P2 absolute-form other path': `POST http://127.0.0.1/v1/chat/completions?x=1 HTTP/1.1\r\n${H('connection: close\r\n')}content-length: ${CHAT.length}\r\n\r\n${CHAT}`,
  'P3 authority-form CONNECT': `CONNECT 127.0.0.1:80 HTTP/1.1\r\nhost: 127.0.0.1:80\r\n\r\n`,
  'P4 asterisk OPTIONS': `OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`,
  'O trailing slash': post('/v1/chat/completions/', CHAT, 'connection: close\r\n'),
  'O2 double slash': post('//v1/chat/completions', CHAT, 'connection: close\r\n'),
  'O3 upper case': post('/V1/Chat/Completions', CHAT, 'connection: close\r\n'),
  'O4 /v1//chat/completions': post('/v1//chat/completions', CHAT, 'connection: close\r\n'),
  'Q pct-encoded %63': post('/v1/chat/%63ompletions', CHAT, 'connection: close\r\n'),
  'Q2 pct-encoded %2F': post('/v1/chat%2Fcompletions', CHAT, 'connection: close\r\n'),
  'Q3 bad pct %zz': post('/v1/chat/completions%zz', CHAT, 'connection: close\r\n'),
  'Q4 query string': post('/v1/chat/completions?api-version=2024-01-01', CHAT, 'connection: close\r\n'),
  'Q5 dot-segments': post('/v1/x/../chat/completions', CHAT, 'connection: close\r\n'),
  'K gzip body': `POST /v1/chat/completions HTTP/1.1\r\n${H('content-encoding: gzip\r\nconnection: close\r\n')}content-length: ${gzipSync(CHAT).length}\r\n\r\n`,
  'L text/plain': post('/v1/chat/completions', CHAT, 'content-type: text/plain\r\nconnection: close\r\n'),
  'L2 charset': post('/v1/chat/completions', CHAT, 'content-type: application/json; charset=utf-8\r\nconnection: close\r\n'),
  'L3 utf-16 body': null,
  'M BOM': post('/v1/chat/completions', '\ufeff' + CHAT, 'connection: close\r\n'),
  'N HEAD /healthz': `HEAD /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`,
  'N2 HEAD /v1/models': `HEAD /v1/models HTTP/1.1\r\nhost: x\r\n${AUTH}connection: close\r\n\r\n`,
  'N3 OPTIONS preflight': `OPTIONS /v1/chat/completions HTTP/1.1\r\nhost: x\r\norigin: http://app.example\r\naccess-control-request-method: POST\r\naccess-control-request-headers: authorization, content-type\r\nconnection: close\r\n\r\n`,
  'N4 GET on POST route': `GET /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}connection: close\r\n\r\n`,
  'N5 POST no body no CL': `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}connection: close\r\n\r\n`,
  'N6 lowercase method': `post /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}connection: close\r\ncontent-length: 2\r\n\r\n{}`,
  'V 60KB header': `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(60000)}\r\nconnection: close\r\n\r\n`,
  'V2 3000 headers': `GET /healthz HTTP/1.1\r\nhost: x\r\n${Array.from({ length: 3000 }, (_, i) => `x-h${i}: 1\r\n`).join('')}connection: close\r\n\r\n`,
  'W NUL in header': `GET /healthz HTTP/1.1\r\nhost: x\r\nx-a: a\u0000b\r\nconnection: close\r\n\r\n`,
  'W2 bare LF': `GET /healthz HTTP/1.1\nhost: x\nconnection: close\n\n`,
  'W3 HTTP/2 preface': `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`,
  'W4 HTTP/0.9': `GET /healthz\r\n`,
  'W5 HTTP/1.2': `GET /healthz HTTP/1.2\r\nhost: x\r\nconnection: close\r\n\r\n`,
};
cases['K gzip body'] = Buffer.concat([Buffer.from(cases['K gzip body']), gzipSync(CHAT)]);
cases['L3 utf-16 body'] = Buffer.concat([Buffer.from(`POST /v1/chat/completions HTTP/1.1\r\n${H('connection: close\r\n')}content-length: ${Buffer.from('\ufeff' + CHAT, 'utf16le').length}\r\n\r\n`), Buffer.from('\ufeff' + CHAT, 'utf16le')]);
for (const [name, payload] of Object.entries(cases)) {
  const r = await raw(P, payload, { quietMs: 800, maxMs: 5000 });
  const statuses = summarize(r.data);
  const bodies = r.data.split('\r\n\r\n').slice(1).map((b) => b.replace(/\s+/g, ' ').slice(0, 180)).filter(Boolean);
  console.log(`== ${name}: [${r.why}] ${statuses.join(' | ') || JSON.stringify(r.data.slice(0, 120))}`);
  for (const b of bodies.slice(0, 2)) console.log('   body: ' + b);
  if (name.startsWith('F') || name.startsWith('G2') || name.startsWith('P') || name.startsWith('N')) console.log('   raw: ' + JSON.stringify(r.data.slice(0, 500)));
}
await new Promise((r) => setTimeout(r, 300));
console.log('--- gateway stdout (access log) ---\n' + gw.child.out.split('\n').slice(-60).join('\n'));
console.log('--- gateway stderr ---\n' + gw.child.err);
process.exit(0);
