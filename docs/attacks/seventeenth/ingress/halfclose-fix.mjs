// Same half-close probe against an embedded gateway with server.httpAllowHalfOpen = true (the suggested fix).
import { startChaos, raw, AUTH, CHAT, CHAT_STREAM, hardTimeout, summarize } from './harness.mjs';
import { startGateway, loadConfig } from '/tmp/attack17b/repo/apps/worker/dist/index.js';
hardTimeout(60000);
const chaos = await startChaos();
const config = loadConfig({ endpoints: [{ name: 'primary', baseUrl: `${chaos.url}/v1`, apiKey: 'sk-up-123456' }], gatewayKeys: ['gk-test-key'] }, {}, 'cfg');
for (const allow of [false, true]) {
  const gw = await startGateway({ config });
  gw.server.httpAllowHalfOpen = allow;
  const port = new URL(gw.url).port;
  for (const [label, body] of [['json', CHAT], ['stream', CHAT_STREAM]]) {
    const r = await raw(port, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`, { halfClose: true, quietMs: 1500 });
    console.log(`httpAllowHalfOpen=${allow} half-close ${label}: ${JSON.stringify(summarize(r.data))} bytes=${r.data.length} [${r.why}] tail=${JSON.stringify(r.data.slice(-30))}`);
  }
  await gw.close(1000);
}
process.exit(0);
