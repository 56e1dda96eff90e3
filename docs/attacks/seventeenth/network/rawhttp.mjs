// A minimal HTTP/1.1 upstream over net or tls with a controllable idle policy, no Keep-Alive hint.
import net from 'node:net'; import tls from 'node:tls';
import { C, completion } from './lib.mjs';
export const startRawHttp = async ({ tag, idleCloseMs = 1000, finDelayMs = 50, tlsCert, connectionClose = false, http10 = false, stats = {} }) => {
  stats.requests = 0; stats.conns = 0; stats.resets = 0;
  const socks = new Set();
  const onConn = (s) => {
    stats.conns++; socks.add(s); s.on('close', () => socks.delete(s)); s.on('error', () => {});
    let buf = Buffer.alloc(0); let dead = false; let idle;
    const armIdle = () => { clearTimeout(idle); idle = setTimeout(() => { dead = true; setTimeout(() => s.end(), finDelayMs); }, idleCloseMs); };
    armIdle();
    s.on('data', (d) => {
      if (dead) { stats.resets++; (s.encrypted ? s.destroy() : s.resetAndDestroy()); return; }
      clearTimeout(idle);
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const i = buf.indexOf('\r\n\r\n'); if (i < 0) return;
        const head = buf.subarray(0, i).toString(); const m = /content-length:\s*(\d+)/i.exec(head); const len = m ? +m[1] : 0;
        if (buf.length < i + 4 + len) return;
        buf = buf.subarray(i + 4 + len); stats.requests++;
        const b = completion(tag);
        const close = connectionClose || http10;
        s.write(`${http10 ? 'HTTP/1.0' : 'HTTP/1.1'} 200 OK\r\ncontent-type: application/json\r\n${http10 ? '' : `content-length: ${Buffer.byteLength(b)}\r\n`}${close && !http10 ? 'connection: close\r\n' : ''}\r\n${b}`);
        if (close) { s.end(); return; }
        armIdle();
      }
    });
  };
  const srv = tlsCert ? tls.createServer({ key: C(`${tlsCert}.key`), cert: C(`${tlsCert}.crt`) }, onConn) : net.createServer(onConn);
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { port: srv.address().port, stats, close: () => { for (const s of socks) s.destroy(); srv.close(); } };
};
