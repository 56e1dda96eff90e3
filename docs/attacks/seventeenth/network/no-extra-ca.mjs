// Private-CA upstream without NODE_EXTRA_CA_CERTS: the error; and is there any option to give a CA / client cert?
import { node, startHttps, mkClient, ask, hardTimeout } from './lib.mjs';
hardTimeout(30000);
const up = await startHttps('good', 'private-ca');
const fetch = node.createFetch({ maxAttempts: 1, endpoints: [{ name: 'azure-private', baseUrl: `https://localhost:${up.port}/v1`, apiKey: 'k' }] }, { tracer: false });
console.log(JSON.stringify(await ask(mkClient(fetch), 'no NODE_EXTRA_CA_CERTS')));
await fetch.router.close();
for (const agent of [{ ca: 'PEM' }, { tls: { ca: 'PEM' } }, { proxy: 'http://proxy:3128' }, { rejectUnauthorized: false }]) {
  try { node.createFetch({ agent, endpoints: [{ name: 'x', baseUrl: 'https://x.example/v1', apiKey: 'k' }] }, { tracer: false }); console.log('accepted', JSON.stringify(agent)); }
  catch (e) { console.log('agent', JSON.stringify(agent), '->', e.message.replace(/\n/g, ' ')); }
}
process.exit(0);
