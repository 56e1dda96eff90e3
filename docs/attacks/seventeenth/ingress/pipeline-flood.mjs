// One connection, 300 pipelined POSTs in one write, the client never reads: how many does the gateway route upstream?
import net from 'node:net';
import { startChaos, startGateway, AUTH, CHAT, hardTimeout } from './harness.mjs';
hardTimeout(40000);
const chaos = await startChaos();
const gw = await startGateway(chaos.url, {}, { args: ['--access-log'] });
const one = `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: ${CHAT.length}\r\n\r\n${CHAT}`;
const s = net.connect(gw.port, '127.0.0.1'); s.on('error', () => {});
s.write(one.repeat(300)); s.pause();
await new Promise((r) => setTimeout(r, 4000));
const served = gw.child.out.split('\n').filter((l) => l.startsWith('{')).length;
console.log(`after 4 s with the client not reading: ${served} of 300 pipelined requests routed and answered upstream`);
s.destroy();
process.exit(0);
