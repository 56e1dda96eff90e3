// Anthropic error statuses on primary; what happens with backup, which SDK error class is raised, cooldown
import Anthropic from '@anthropic-ai/sdk';
import { raw, json, anthErr, okMsg, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(40000);
const cases = [
  [529, 'overloaded_error', {}],
  [429, 'rate_limit_error', { 'retry-after': '7', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': new Date(Date.now() + 30000).toISOString() }],
  [400, 'invalid_request_error', {}],
  [401, 'authentication_error', {}],
  [403, 'permission_error', {}],
  [413, 'request_too_large', {}],
  [500, 'api_error', {}],
  [404, 'not_found_error', {}],
];
for (const via of ['fetch', 'gateway']) {
  for (const [status, type, headers] of cases) {
    const p = await raw('p', (req, body, res) => json(res, status, anthErr(type, `primary says ${type}`), { 'request-id': 'req_p', ...headers }));
    const b = await raw('b', (req, body, res) => json(res, 200, okMsg('from backup'), { 'request-id': 'req_b' }));
    let client, gw, f;
    if (via === 'fetch') { f = createFetch({ endpoints: endpointsFor([p, b]) }); client = new Anthropic({ apiKey: 'unused', fetch: f, maxRetries: 0 }); }
    else { gw = await gateway([p, b]); client = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 }); }
    let out;
    try { const { data, response } = await client.messages.create(ask).withResponse(); out = `OK ${data.content[0].text} ep=${response.headers.get('x-detour-endpoint')} att=${response.headers.get('x-detour-attempts')} reqid=${response.headers.get('request-id')}`; }
    catch (e) { out = `ERR ${e.constructor.name} ${e.status} ${JSON.stringify(e.error)} xde=${e.headers?.get?.('x-detour-error')} ra=${e.headers?.get?.('retry-after')} reqid=${e.headers?.get?.('request-id')}`; }
    // second request: does primary get hit again?
    const before = p.reqs.length;
    try { await client.messages.create(ask); } catch {}
    console.log(via, status, type, '=>', out, `| primaryHits=${before} thenAgain=${p.reqs.length - before} backupHits=${b.reqs.length}`);
    if (gw) await gw.close(); if (f?.router?.close) await f.router.close();
    p.close(); b.close();
  }
}
process.exit(0);
