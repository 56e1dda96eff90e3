import { startChaos, startGateway, raw, AUTH, CHAT, hardTimeout } from './harness.mjs';
hardTimeout(30000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url);
console.log(gw.url);
const r = await raw(gw.port, `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\nconnection: close\r\n\r\n${CHAT}`);
console.log(r.why, r.data.slice(0, 600));
process.exit(0);
