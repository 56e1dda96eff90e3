// What workerd's fetch throws for (a) a refused connection, (b) a reset after the body was read, (c) a reset before
// reading; and how many chunks of a stream body it pulled first.
import net from 'node:net';
import http from 'node:http';
import { edgeInWorkerd, watchdog } from './lib.mjs';
watchdog(60000);
const closed = await new Promise((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const afterRead = http.createServer((req, res) => { req.resume(); req.on('end', () => req.socket.destroy()); });
await new Promise((r) => afterRead.listen(0, '127.0.0.1', r));
const beforeRead = net.createServer((s) => s.destroy());
await new Promise((r) => beforeRead.listen(0, '127.0.0.1', r));
const w = await edgeInWorkerd(new URL('./probe-worker.mjs', import.meta.url).pathname);
for (const [label, port] of [['refused', closed], ['reset after reading the body', afterRead.address().port], ['reset on accept', beforeRead.address().port]]) {
  for (const size of [100, 1 << 20]) {
    const r = await (await fetch(`${w.url}/`, { method: 'POST', body: JSON.stringify({ url: `http://127.0.0.1:${port}/v1/files`, size }) })).json();
    console.log(label, `body ${size} B:`, JSON.stringify(r));
  }
}
await w.close(); afterRead.close(); beforeRead.close();
process.exit(0);
