// Raw bytes of a Responses stream cut after its first events, HTTP/1.1 and HTTP/1.0, Node gateway vs Worker.
import net from 'node:net';
import { startAll, GK } from './lib.mjs';
setTimeout(() => { console.log('WATCHDOG'); process.exit(2); }, 60000).unref();
const s = await startAll();
const body = JSON.stringify({ model: 'cut', input: 'hi', stream: true });
const probe = (base, version) => new Promise((resolve) => {
  const u = new URL(base); let raw = ''; let how = 'still open after 4 s';
  const sock = net.connect(+u.port, u.hostname, () => sock.write(`POST /v1/responses HTTP/${version}\r\nhost: x\r\nauthorization: Bearer ${GK}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`));
  sock.on('data', (d) => (raw += d));
  sock.on('error', (e) => (how = 'socket error ' + e.code));
  sock.on('end', () => { if (how.startsWith('still')) how = 'FIN'; });
  sock.on('close', () => { clearTimeout(t); resolve({ how, tail: raw.slice(-60) }); });
  const t = setTimeout(() => { sock.destroy(); resolve({ how, tail: raw.slice(-60) }); }, 4000);
});
for (const v of ['1.1', '1.0']) for (const [name, base] of [['node  ', s.nodeUrl], ['worker', s.workerUrl]]) {
  const r = await probe(base, v);
  console.log(`HTTP/${v} ${name} ended by ${r.how}; last bytes ${JSON.stringify(r.tail)}`);
}
await s.stop(); process.exit(0);
