// The bare proxy: the least a competent Node reverse proxy does, and so the practical limit for any of them here.
// node:http in front, the request body read whole, undici `Pool.request` upstream, the response body piped back.
// No routing, retries or parsing. Usage: node bare-proxy.mjs --upstream http://127.0.0.1:PORT --key sk-… --port 0
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({ options: { upstream: { type: 'string' }, key: { type: 'string' }, port: { type: 'string', default: '0' } } });
// No connection cap: the bare proxy opens as many upstream sockets as callers need (undici's default).
const pool = new Pool(values.upstream, { keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 300_000 });
const authorization = `Bearer ${values.key}`;
// Hop-by-hop fields describe one connection and must not be relayed to the next.
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection']);

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    const abort = new AbortController();
    // A caller who leaves before the upstream answers cancels the upstream request too. Only then: aborting a
    // request that has finished does nothing but build a DOMException, about a fifth of this proxy's CPU per request.
    response.once('close', () => {
      if (!response.writableFinished) abort.abort();
    });
    try {
      const upstream = await pool.request({
        path: request.url,
        method: request.method,
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json', accept: request.headers.accept ?? '*/*', authorization },
        body: Buffer.concat(chunks),
        signal: abort.signal,
      });
      const headers = {};
      for (const [name, value] of Object.entries(upstream.headers)) if (!hopByHop.has(name)) headers[name] = value;
      response.writeHead(upstream.statusCode, headers);
      upstream.body.on('error', () => response.destroy());
      upstream.body.pipe(response);
      // A caller who leaves mid-stream stops the upstream generating.
      response.once('close', () => upstream.body.destroy());
    } catch (error) {
      if (response.headersSent) return void response.destroy();
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `bare proxy: ${error.message}`, type: 'upstream_error' } }));
    }
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(values.port), '127.0.0.1', () => {
  const { address, port } = server.address();
  process.stdout.write(`bare proxy listening on http://${address}:${port}\n`);
});
const close = () => {
  server.close(() => pool.close().finally(() => process.exit(0)));
  server.closeAllConnections();
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
