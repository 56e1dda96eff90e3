// 429s whose only delay is a rate-limit reset header (or several competing signals): how long is the model cooled?
import { upstream, createRouter, ERR, send, health, eps } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
const iso = (ms) => new Date(Date.now() + ms).toISOString();
const oai = { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } };
const cases = [
  ['x-rl rem-req 0 reset 6m0s', () => ({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' }), 360000],
  ['x-rl rem-req 0 reset 1h30m (cap 15m)', () => ({ 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1h30m' }), 900000],
  ['x-rl rem-tok 0 reset 20ms', () => ({ 'x-ratelimit-limit-tokens': '3', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '20ms' }), 20],
  ['x-rl req 0 "2s" + tok 0 "7.66s" (slowest)', () => ({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '7.66s' }), 7660],
  ['x-rl bogus reset "6 minutes"', () => ({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6 minutes' }), 1000],
  ['Azure -1/0 sentinels', () => ({ 'x-ratelimit-remaining-tokens': '-1', 'x-ratelimit-reset-tokens': '0' }), 1000],
  ['Azure rem 0, reset 0 (sentinel)', () => ({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '0' }), 1000],
  ['x-ms-retry-after-ms 3000', () => ({ 'x-ms-retry-after-ms': '3000' }), 3000],
  ['anthropic req rem 0 reset +30s, Date now', () => ({ date: new Date().toUTCString(), 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': iso(30000) }), 30000],
  ['anthropic reset +30s, Date 1h behind', () => ({ date: new Date(Date.now() - 3600000).toUTCString(), 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': new Date(Date.now() - 3600000 + 30000).toISOString() }), 30000],
  ['anthropic reset +30s + retry-after 5', () => ({ 'retry-after': '5', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': iso(30000) }), 5000],
  ['anthropic output-tokens rem 0 reset +20s', () => ({ 'anthropic-ratelimit-output-tokens-remaining': '0', 'anthropic-ratelimit-output-tokens-reset': iso(20000) }), 20000],
  ['IETF r=0;t=10 + Retry-After 20 (§9 ex.7)', () => ({ ratelimit: '"default";r=0;t=10', 'retry-after': '20' }), 20000],
  ['IETF r=0;t=10 only', () => ({ ratelimit: '"default";r=0;t=10' }), 10000],
  ['IETF r=0;t=10 with Age: 5 (cached, ignore)', () => ({ ratelimit: '"default";r=0;t=10', age: '5' }), 1000],
  ['IETF malformed r=-1;t=10', () => ({ ratelimit: '"default";r=-1;t=10' }), 1000],
  ['IETF token item default;r=0;t=10', () => ({ ratelimit: 'default;r=0;t=10' }), 1000],
  ['IETF r=5;t=10 (not exhausted)', () => ({ ratelimit: '"default";r=5;t=10' }), 1000],
  ['old RateLimit-Remaining 0 / -Reset 10', () => ({ 'ratelimit-remaining': '0', 'ratelimit-reset': '10' }), 10000],
  ['generic x-ratelimit-reset epoch s', () => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 30) }), 30000],
];
for (const [label, mk, expected] of cases) {
  beh = { a: () => ERR(429, mk(), oai) };
  up.reset();
  const router = createRouter({ endpoints: eps(up, ['a', 'b']) });
  await send(router);
  const a = (await health(router)).find((x) => x.name === 'a');
  console.log(`${label.padEnd(44)} expected~${String(expected).padStart(6)} (+<=10% jitter)  model cool=${JSON.stringify(a.models)} endpoint cool=${a.cool}`);
  await router.close();
}
await up.close();
