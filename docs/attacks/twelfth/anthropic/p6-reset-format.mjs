// anthropic-ratelimit-requests-reset variants on a 429 from the only endpoint: the Retry-After Detour derives and upstream hits
import Anthropic from '@anthropic-ai/sdk';
import { raw, json, anthErr, ask, createFetch, endpointsFor, deadline } from './lib.mjs';
deadline(60000);
const iso = (ms, frac) => { const s = new Date(Date.now() + ms).toISOString(); return frac ? s : s.replace(/\.\d+Z/, 'Z'); };
const cases = [
  ['limit+remaining0+reset(no fraction)', () => ({ 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': iso(30000, false) })],
  ['remaining0+reset(no fraction), no limit', () => ({ 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': iso(30000, false) })],
  ['limit+remaining0+reset(with .mmm fraction)', () => ({ 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': iso(30000, true) })],
  ['input-tokens remaining0 reset +30 (limit)', () => ({ 'anthropic-ratelimit-input-tokens-limit': '1000', 'anthropic-ratelimit-input-tokens-remaining': '0', 'anthropic-ratelimit-input-tokens-reset': iso(30000, false) })],
  ['output-tokens remaining0 reset +30 (limit)', () => ({ 'anthropic-ratelimit-output-tokens-limit': '1000', 'anthropic-ratelimit-output-tokens-remaining': '0', 'anthropic-ratelimit-output-tokens-reset': iso(30000, false) })],
];
for (const [label, headers] of cases) {
  const p = await raw('p', (req, body, res) => json(res, 429, anthErr('rate_limit_error', 'slow down'), headers()));
  const f = createFetch({ endpoints: endpointsFor([p]), deadlineMs: 5000 });
  const client = new Anthropic({ apiKey: 'unused', fetch: f, maxRetries: 0 });
  const t = Date.now(); let out;
  try { await client.messages.create(ask); } catch (e) { out = `${e.constructor.name} ${e.status} ra=${e.headers.get('retry-after')} xde=${e.headers.get('x-detour-error')}`; }
  const h = (await f.router.health())[0];
  console.log(label.padEnd(45), out, `hits=${p.reqs.length} took=${Date.now() - t}ms cooldown=${Math.round((h.modelCooldowns['claude-sonnet-4-5'] ?? 0) - Date.now())}ms quotaReset=${JSON.stringify(h.quotaResetMs)}`);
  p.close();
}
process.exit(0);
