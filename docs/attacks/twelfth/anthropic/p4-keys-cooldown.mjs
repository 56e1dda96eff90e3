import Anthropic from '@anthropic-ai/sdk';
import { raw, json, anthErr, okMsg, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(40000);
// 1) key echoed by upstream in error body + header, on the last endpoint: does it reach the caller?
const echo = (status, type) => async () => raw('p', (req, body, res) => json(res, status, anthErr(type, `invalid x-api-key: ${req.headers['x-api-key']}`), { 'x-echo': String(req.headers['x-api-key']), 'request-id': 'req_1' }));
for (const [status, type] of [[400, 'invalid_request_error'], [401, 'authentication_error'], [429, 'rate_limit_error'], [529, 'overloaded_error']]) {
  for (const via of ['fetch', 'gateway']) {
    const p = await echo(status, type)();
    const log = [];
    let client, gw, f;
    if (via === 'fetch') { f = createFetch({ endpoints: endpointsFor([p]) }); client = new Anthropic({ apiKey: 'unused', fetch: f, maxRetries: 0 }); }
    else { gw = await gateway([p], { accessLog: (l) => log.push(l) }); client = new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 }); }
    try { await client.messages.create(ask); console.log('unexpected ok'); } catch (e) {
      const all = JSON.stringify(e.error) + JSON.stringify([...(e.headers?.entries?.() ?? [])]) + e.message + log.join('');
      let extra = '';
      if (gw) extra = await (await fetch(gw.url + '/healthz')).text() + await (await fetch(gw.url + '/metrics')).text();
      console.log(via, status, 'leak?', (all + extra).includes('SECRET'), '| ', e.status, JSON.stringify(e.error).slice(0, 160), 'x-echo=', e.headers?.get?.('x-echo'));
    }
    if (gw) await gw.close(); p.close();
  }
}
// 2) 429 cooldown: retry-after 7 vs anthropic-ratelimit reset at +30s
for (const [label, headers] of [
  ['retry-after 7 only', { 'retry-after': '7' }],
  ['requests-reset +30s, remaining 0, no retry-after', { 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': new Date(Date.now() + 30000).toISOString() }],
  ['tokens-reset +45s remaining 0 + retry-after 7', { 'retry-after': '7', 'anthropic-ratelimit-tokens-remaining': '0', 'anthropic-ratelimit-tokens-reset': new Date(Date.now() + 45000).toISOString() }],
  ['input-tokens-reset +20s remaining 0', { 'anthropic-ratelimit-input-tokens-remaining': '0', 'anthropic-ratelimit-input-tokens-reset': new Date(Date.now() + 20000).toISOString() }],
  ['output-tokens-reset +25s remaining 0', { 'anthropic-ratelimit-output-tokens-remaining': '0', 'anthropic-ratelimit-output-tokens-reset': new Date(Date.now() + 25000).toISOString() }],
]) {
  const p = await raw('p', (req, body, res) => json(res, 429, anthErr('rate_limit_error', 'slow down'), headers));
  const f = createFetch({ endpoints: endpointsFor([p]) });
  const client = new Anthropic({ apiKey: 'unused', fetch: f, maxRetries: 0 });
  let r1, r2;
  try { await client.messages.create(ask); } catch (e) { r1 = `${e.constructor.name} ra=${e.headers.get('retry-after')} xde=${e.headers.get('x-detour-error')}`; }
  try { await client.messages.create(ask); } catch (e) { r2 = `${e.constructor.name} ${e.status} ra=${e.headers.get('retry-after')} xde=${e.headers.get('x-detour-error')}`; }
  const h = f.router.health();
  console.log(label, '\n  first:', r1, '\n  second:', r2, 'hits', p.reqs.length, '\n  health:', JSON.stringify(h).slice(0, 300));
  p.close();
}
process.exit(0);
