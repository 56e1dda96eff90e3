// Reproduction (undici, not Detour): after each aborted request, an undici Pool opens a fresh connection that
// carries nothing and stays open until its keep-alive timeout. This is why the soak waits up to 40 s for the
// gateway's descriptors to come back after a run with hanging upstreams. Usage: node aborted-attempt-connections.mjs
import http from 'node:http';
import { Pool } from 'undici';

const server = http.createServer(() => {}); // never answers
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: null, keepAliveTimeout: 30_000 });
await Promise.all(
  Array.from({ length: 10 }, () => pool.request({ path: '/', method: 'POST', body: 'x', signal: AbortSignal.timeout(500) }).catch((error) => error.name)),
);
await new Promise((resolve) => setTimeout(resolve, 2000));
const open = [];
server.getConnections((error, count) => {
  open.push(error ? error.message : count);
  console.log(`10 requests aborted after 500 ms; 2 s later the server still holds ${open[0]} open connections`);
  process.exit(0);
});
