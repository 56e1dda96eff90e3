// A caller that never reads a large stream (keeps its socket open, paused). Does everything come back after
// streamIdleTimeoutMs (1.5 s here), with the caller still connected?
import net from 'node:net';
import { setup, KEY, snapshot, sleep, heldBytes } from './gw-harness.mjs';
const kill = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 60000);
const { ups, gw, port } = await setup();
const body = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }], chunks: 2000, chunkSize: 16000, delay: 1 });
const s = net.connect(port, '127.0.0.1');
s.on('error', () => {});
let closedAt;
s.on('close', () => { closedAt = Date.now(); });
s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${KEY}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
s.pause();
const t0 = Date.now();
for (const t of [1000, 3000, 6000]) {
  await sleep(t - (Date.now() - t0));
  const rh = (await gw.router.health()).map((e) => `${e.name}:${e.pending}`).join(' ');
  console.log(`t=${t}ms caller socket ${closedAt ? 'closed at ' + (closedAt - t0) : 'open'}; pending ${rh}; upstream open ${ups.map((u) => u.open)}; held ${await heldBytes(port)}`);
}
s.destroy();
await sleep(500);
console.log('final', JSON.stringify(await snapshot(port, gw, ups)));
await gw.close(100); for (const u of ups) await u.close();
clearTimeout(kill);
