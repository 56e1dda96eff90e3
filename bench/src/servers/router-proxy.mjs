// Detour's router with nothing in front of it: node:http, the body read whole and parsed, `router.send`, the answer
// written back. No Hono, gateway keys, metrics, tracing context or error shapes: the decomposition workload sets it
// beside the bare proxy and the gateway to show what the router costs and what the gateway adds on top.
// The same two tiers as the gateway's bench config. Usage: node router-proxy.mjs --upstream http://127.0.0.1:PORT
// --key sk-… --backup http://127.0.0.1:PORT --backup-key sk-… [--router '{"rescue":"off","tracer":false}'] --port 0
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createRouter } from '@detour/node';

const { values } = parseArgs({ options: { upstream: { type: 'string' }, key: { type: 'string' }, backup: { type: 'string' }, 'backup-key': { type: 'string' }, router: { type: 'string', default: '{}' }, port: { type: 'string', default: '0' } } });
const { tracer, ...options } = JSON.parse(values.router);
const endpoints = [
  { name: 'main', baseUrl: `${values.upstream}/v1`, apiKey: values.key, priority: 0 },
  { name: 'backup', baseUrl: `${values.backup}/v1`, apiKey: values['backup-key'], priority: 1 },
];
const router = createRouter({ endpoints, ...options }, tracer === false ? { tracer: false } : {});
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection']);

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const body = Buffer.concat(chunks);
      const result = await router.send({ method: 'POST', path: '/chat/completions', headers: { 'content-type': 'application/json' }, body, json: JSON.parse(body.toString()) });
      const headers = {};
      for (const name in result.headers) if (!hopByHop.has(name)) headers[name] = result.headers[name];
      if (result.stream) {
        response.writeHead(result.status, headers);
        for await (const chunk of result.stream) response.write(chunk);
        response.end();
      } else {
        headers['content-length'] = String(result.body.byteLength);
        response.writeHead(result.status, headers);
        response.end(result.body);
      }
    } catch (error) {
      if (response.headersSent) return void response.destroy();
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `router proxy: ${error.message}`, type: 'upstream_error' } }));
    }
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(values.port), '127.0.0.1', () => {
  const { address, port } = server.address();
  process.stdout.write(`router proxy listening on http://${address}:${port}\n`);
});
const close = () => {
  server.close(() => router.close().finally(() => process.exit(0)));
  server.closeAllConnections();
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
