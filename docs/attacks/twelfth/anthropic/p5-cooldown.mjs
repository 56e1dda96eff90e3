// 429 from the only (or first of two) Anthropic endpoints: hits, time, Retry-After, per the signal headers sent
import Anthropic from '@anthropic-ai/sdk';
import { raw, json, anthErr, okMsg, ask, createFetch, endpointsFor, deadline } from './lib.mjs';
deadline(90000);
const cases = [
  ['retry-after 7 only', () => ({ 'retry-after': '7' })],
  ['requests remaining 0, reset +30s (no retry-after)', () => ({ 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': new Date(Date.now() + 30000).toISOString().replace(/\.\d+Z/, 'Z') })],
  ['tokens remaining 0, reset +45s, retry-after 7', () => ({ 'retry-after': '7', 'anthropic-ratelimit-tokens-limit': '1000', 'anthropic-ratelimit-tokens-remaining': '0', 'anthropic-ratelimit-tokens-reset': new Date(Date.now() + 45000).toISOString().replace(/\.\d+Z/, 'Z') })],
];
const only = process.argv[2] ? [cases[Number(process.argv[2])]] : cases;
for (const [label, headers] of only) {
  const p = await raw('p', (req, body, res) => { console.log('   p hit at', Date.now() - t0, 'ms'); json(res, 429, anthErr('rate_limit_error', 'slow down'), headers()); });
  const f = createFetch({ endpoints: endpointsFor([p]), deadlineMs: 15000 });
  const client = new Anthropic({ apiKey: 'unused', fetch: f, maxRetries: 0 });
  var t0 = Date.now();
  console.log(label);
  for (let i = 0; i < 2; i++) {
    const t = Date.now();
    try { await client.messages.create(ask); } catch (e) { console.log(`  req${i}: ${e.constructor.name} ${e.status} ra=${e.headers.get('retry-after')} xde=${e.headers.get('x-detour-error')} took ${Date.now() - t}ms`); }
  }
  console.log('  health', JSON.stringify(await f.router.health()).slice(0, 400));
  p.close();
}
process.exit(0);
