// ?beta=true (Claude Code's beta surface) on /v1/messages and /v1/messages/count_tokens: forwarded by createFetch and the gateway?
import { raw, json, okMsg, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(15000);
const b = await raw('b', (req, body, res) => json(res, 200, req.url.includes('count_tokens') ? { input_tokens: 3 } : okMsg('x')));
const gw = await gateway([b]);
const f = createFetch({ endpoints: endpointsFor([b]) });
const h = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'context-1m-2025-08-07', 'x-api-key': 'gk-test' };
for (const path of ['/v1/messages?beta=true', '/v1/messages/count_tokens?beta=true']) {
  const body = JSON.stringify(path.includes('count') ? { model: ask.model, messages: ask.messages } : ask);
  const r1 = await f('https://api.anthropic.com' + path, { method: 'POST', headers: h, body });
  const r2 = await fetch(gw.url + path, { method: 'POST', headers: h, body });
  console.log(path, 'createFetch', r1.status, '-> upstream', b.reqs.at(-2).url, '| gateway', r2.status, '-> upstream', b.reqs.at(-1).url, 'beta hdr', b.reqs.at(-1).headers['anthropic-beta']);
}
await gw.close(); b.close(); process.exit(0);
