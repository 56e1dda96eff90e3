// Shared helpers: loopback upstreams that record what reached them, and the gateway started in process.
import http from 'node:http';
import { startGateway, loadConfig } from '/tmp/attack14c/apps/worker/dist/index.js';
export { createFetch } from '/tmp/attack14c/packages/node/dist/index.js';

export const UPKEY = 'sk-upstream-0123456789abcdef0123456789';
export const GK = 'gk-caller-0123456789';

/** An upstream: handler(req, bodyBuffer, res). `seen` records every request (url, method, headers, body as text). */
export const upstream = (handler) => new Promise((resolve) => {
  const seen = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const buf = Buffer.concat(chunks);
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: buf.toString('utf8'), raw: buf });
      (async () => handler(req, buf, res))().catch((e) => { console.error('handler error', e); res.destroy(); });
    });
  });
  server.listen(0, '127.0.0.1', () => resolve({
    server, seen, origin: `http://127.0.0.1:${server.address().port}`, url: `http://127.0.0.1:${server.address().port}/v1`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  }));
});

export const gateway = async (endpoints, extra = {}) => {
  const input = { endpoints, gatewayKeys: [{ key: GK, name: 'team-a' }], router: { ...(extra.router ?? {}) }, ...(extra.root ?? {}) };
  const config = loadConfig(input, {});
  const logs = [];
  const gw = await startGateway({ config, accessLog: (l) => logs.push(JSON.parse(l)) });
  gw.logs = logs;
  return gw;
};

export const json = (res, status, body, headers = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
};
export const sse = (res, events, headers = {}, { done = true } = {}) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
  for (const e of events) res.write(typeof e === 'string' ? e : `data: ${JSON.stringify(e)}\n\n`);
  if (done) res.write('data: [DONE]\n\n');
  res.end();
};
export const asse = (res, events, headers = {}) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
  for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  res.end();
};
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const show = (label, value) => console.log(`${label}:`, typeof value === 'string' ? value : JSON.stringify(value));
