// Shared harness: loopback upstreams + gateway. Everything has timeouts.
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';
const require = createRequire('/tmp/attack16a/repo/apps/worker/package.json');
export const gw = await import('/tmp/attack16a/repo/apps/worker/dist/index.js');
export const detourNode = await import('/tmp/attack16a/repo/packages/node/dist/index.js');
export const reqFrom = require;

setTimeout(() => { console.log('GLOBAL TIMEOUT'); process.exit(3); }, Number(process.env.TMO ?? 30000)).unref?.();
// hard kill even if unref'd event loop stays alive elsewhere
const hard = setTimeout(() => { console.log('HARD TIMEOUT'); process.exit(4); }, Number(process.env.TMO ?? 30000) + 2000);
hard.unref();

export const listen = (server) => new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port)));

// raw TCP upstream: handler(socket, requestText) writes raw bytes
export const rawUpstream = async (onRequest) => {
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const m = /content-length:\s*(\d+)/i.exec(head);
        const len = m ? Number(m[1]) : 0;
        if (buf.length < end + 4 + len) return;
        const body = buf.subarray(end + 4, end + 4 + len).toString();
        buf = buf.subarray(end + 4 + len);
        onRequest(socket, head, body);
      }
    });
  });
  const port = await listen(server);
  return { server, port, url: `http://127.0.0.1:${port}/v1` };
};

export const startGw = async (endpoints, extra = {}) => {
  const config = gw.loadConfig({ endpoints, allowUnauthenticated: true, ...extra }, process.env, 'test');
  return gw.startGateway({ config, port: 0 });
};

export const post = (url, body, headers = {}) => new Promise((resolve, reject) => {
  const u = new URL(url);
  const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, agent: false }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode, rawHeaders: res.rawHeaders, headers: res.headers, body: Buffer.concat(chunks) }));
    res.on('error', (e) => resolve({ status: res.statusCode, rawHeaders: res.rawHeaders, headers: res.headers, body: Buffer.concat(chunks), error: e.message }));
  });
  req.setTimeout(10000, () => req.destroy(new Error('client timeout')));
  req.on('error', reject);
  req.end(typeof body === 'string' ? body : JSON.stringify(body));
});

export const chatBody = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
export const completion = (content = 'hello') => JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
export const rawResponse = (status, headerLines, body) => {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return Buffer.concat([Buffer.from(`HTTP/1.1 ${status} X\r\n` + headerLines.map((l) => l + '\r\n').join('') + `content-length: ${b.length}\r\n\r\n`, 'latin1'), b]);
};
