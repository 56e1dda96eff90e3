// A client that sends its whole request then half-closes (shutdown(SHUT_WR)): does it get an answer? Is the upstream billed?
import { startChaos, startGateway, raw, AUTH, CHAT, CHAT_STREAM, hardTimeout, summarize } from './harness.mjs';
hardTimeout(60000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url, {}, { args: ['--access-log'] });
for (const [label, body, path] of [['GET /healthz', null, '/healthz'], ['chat json', CHAT], ['chat stream', CHAT_STREAM]]) {
  const req = body === null ? `GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`
    : `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
  const r = await raw(gw.port, req, { halfClose: true, quietMs: 1500 });
  console.log(`half-close ${label}: ${JSON.stringify(summarize(r.data))} bytes=${r.data.length} [${r.why}]`);
  const r2 = await raw(gw.port, req.replace('\r\n\r\n', '\r\nconnection: close\r\n\r\n'), { halfClose: false, quietMs: 1500 });
  console.log(`  control (no FIN) ${label}: ${JSON.stringify(summarize(r2.data))} bytes=${r2.data.length}`);
}
await new Promise((r) => setTimeout(r, 500));
console.log('--- access log ---\n' + gw.child.out);
const st = await fetch(chaos.url + '/_chaos/stats').then((r) => r.text()).catch((e) => String(e));
console.log('chaos stats:', st.slice(0, 300));
process.exit(0);
