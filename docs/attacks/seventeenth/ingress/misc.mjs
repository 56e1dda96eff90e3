// curl --http2 (h2c upgrade) and --http2-prior-knowledge, Upgrade: websocket, odd Content-Length values.
import { execFileSync } from 'node:child_process';
import { startChaos, startGateway, raw, AUTH, CHAT, hardTimeout, summarize } from './harness.mjs';
hardTimeout(60000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url);
const curl = (args) => { try { return execFileSync('nice', ['-n', '19', 'curl', '-sS', '-m', '8', '-o', '/dev/null', '-w', '%{http_code} http_version=%{http_version}', ...args], { encoding: 'utf8' }); } catch (e) { return 'ERR ' + (e.stdout ?? '') + (e.stderr ?? '').trim(); } };
const base = [`${gw.url}/v1/chat/completions`, '-H', 'authorization: Bearer gk-test-key', '-H', 'content-type: application/json', '-d', CHAT];
console.log('curl --http2 (h2c upgrade)            :', curl(['--http2', ...base]));
console.log('curl --http2-prior-knowledge          :', curl(['--http2-prior-knowledge', ...base]));
console.log('curl --http1.0                        :', curl(['--http1.0', ...base]));
for (const [label, extra] of [
  ['Upgrade: websocket on POST', 'connection: upgrade\r\nupgrade: websocket\r\n'],
  ['Upgrade: h2c on POST (raw)', 'connection: Upgrade, HTTP2-Settings\r\nupgrade: h2c\r\nhttp2-settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n'],
]) {
  const r = await raw(gw.port, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\n${extra}content-length: ${CHAT.length}\r\n\r\n${CHAT}`, { quietMs: 800 });
  console.log(`${label.padEnd(38)}: ${JSON.stringify(summarize(r.data))}`);
}
for (const cl of ['+68', '-1', '0x44', '68 ', '99999999999999999999', '6 8', '']) {
  const r = await raw(gw.port, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${cl}\r\nconnection: close\r\n\r\n${CHAT}`, { quietMs: 800 });
  console.log(`content-length: ${JSON.stringify(cl).padEnd(24)}: ${JSON.stringify(summarize(r.data))} ${JSON.stringify((r.data.split('\r\n\r\n')[1] ?? '').slice(0, 100))}`);
}
process.exit(0);
