// Does Detour honour HTTPS_PROXY (createFetch), and does the documented dispatcher escape hatch work through createFetch?
import http from 'node:http'; import net from 'node:net';
import { createRequire } from 'node:module';
import { node, startHttps, mkClient, ask, watch, brief, hardTimeout } from './lib.mjs';
const require = createRequire('/tmp/attack17a/repo/packages/node/package.json');
const { ProxyAgent } = require('undici');
hardTimeout(60000);
const up = await startHttps('good', 'behind-proxy');
const proxied = [];
const proxy = http.createServer((q, s) => { s.writeHead(405); s.end(); });
proxy.on('connect', (req, sock, head) => {
  proxied.push(req.url); // e.g. localhost:PORT or api.upstream.test:443
  const t = net.connect(up.port, '127.0.0.1', () => { sock.write('HTTP/1.1 200 Connection Established\r\n\r\n'); t.write(head); t.pipe(sock); sock.pipe(t); });
  t.on('error', () => sock.destroy()); sock.on('error', () => t.destroy());
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
const proxyUrl = `http://127.0.0.1:${proxy.address().port}`;
process.env.HTTPS_PROXY = process.env.https_proxy = process.env.HTTP_PROXY = proxyUrl;
console.log('HTTPS_PROXY=', proxyUrl);
// 1. createFetch, env proxy set, endpoint only reachable via proxy (proxy maps every CONNECT to the upstream).
{
  const fetch = node.createFetch({ endpoints: [{ name: 'corp', baseUrl: 'https://localhost:1/v1', apiKey: 'k' }], maxAttempts: 1 }, { tracer: false });
  const r = await ask(mkClient(fetch), 'env-proxy');
  console.log('1. createFetch with HTTPS_PROXY set:', JSON.stringify(r), '| CONNECTs seen by proxy:', proxied.length);
  await fetch.router.close();
}
// 2. the README's escape hatch: createUndiciTransport(options, new ProxyAgent(...)) passed as overrides.transport.
{
  proxied.length = 0;
  const transport = node.createUndiciTransport({ connectTimeoutMs: 10000, keepAliveTimeoutMs: 30000, bodyIdleTimeoutMs: 300000 }, new ProxyAgent(proxyUrl));
  let closed = false; const origClose = transport.close; transport.close = async () => { closed = true; return origClose(); };
  const fetch = node.createFetch({ endpoints: [{ name: 'corp', baseUrl: 'https://localhost:1/v1', apiKey: 'k' }], maxAttempts: 1 }, { tracer: false, transport });
  const r = await ask(mkClient(fetch), 'proxyagent');
  console.log('2. createFetch + overrides.transport(ProxyAgent):', JSON.stringify(r), '| CONNECTs:', proxied);
  await fetch.router.close();
  console.log('   router.close() closed the ProxyAgent transport?', closed);
}
process.exit(0);
