import { node, startHttp, startHttps, mkClient, ask, watch, brief, hardTimeout } from './lib.mjs';
hardTimeout(60000);
const good = await startHttp('good-v4');
const v6 = await startHttp('v6', {}, { host: '::1' });
const v6s = await startHttps('good', 'v6-tls', {}, { host: '::1' });
const cases = {
  invalidHost: [{ name: 'nxdomain', baseUrl: 'https://foo.invalid/v1', apiKey: 'k', priority: 0 }, { name: 'good', baseUrl: `http://127.0.0.1:${good.port}/v1`, apiKey: 'k', priority: 1 }],
  invalidHostOnly: [{ name: 'nxdomain', baseUrl: 'https://api.foo.invalid/v1', apiKey: 'k' }],
  ipv6: [{ name: 'v6', baseUrl: `http://[::1]:${v6.port}/v1`, apiKey: 'k' }],
  ipv6tls: [{ name: 'v6tls', baseUrl: `https://[::1]:${v6s.port}/v1`, apiKey: 'k' }],
  localhostV6only: [{ name: 'lh', baseUrl: `http://localhost:${v6.port}/v1`, apiKey: 'k' }],
};
for (const [name, endpoints] of Object.entries(cases)) {
  let fetch;
  try { fetch = node.createFetch({ endpoints }, { tracer: false }); } catch (e) { console.log(name, 'createFetch threw:', e.message); continue; }
  const ev = watch(fetch.router);
  console.log(JSON.stringify(await ask(mkClient(fetch), name)));
  for (const e of ev) console.log('   ', brief(e));
  await fetch.router.close();
}
process.exit(0);
