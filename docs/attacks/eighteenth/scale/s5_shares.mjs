// Weighted shares with many endpoints: 300 endpoints in tier 0 (100 weight 1, 100 weight 3, 100 weight 6) and
// 200 in tier 1; 20,000 sequential requests on a healthy no-op transport, with and without rate-limit headers.
import { core, okBody, resp, makeEndpoints } from './lib.mjs';
const body = okBody();
const reqBody = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
for (const hdr of [false, true]) {
  const eps = makeEndpoints(500, (i) => i < 300 ? { priority: 0, weight: i < 100 ? 1 : i < 200 ? 3 : 6 } : { priority: 1 });
  const counts = new Map();
  const H = hdr ? { 'x-ratelimit-limit-requests': '1000000', 'x-ratelimit-remaining-requests': '999999', 'x-ratelimit-reset-requests': '1ms', 'x-ratelimit-limit-tokens': '100000000', 'x-ratelimit-remaining-tokens': '99999000', 'x-ratelimit-reset-tokens': '1ms' } : {};
  const router = core.createRouter({ endpoints: eps }, { transport: async (r) => { counts.set(r.endpoint, (counts.get(r.endpoint) ?? 0) + 1); return resp(200, body, H); } });
  const R = 20000;
  for (let i = 0; i < R; i++) await router.send({ path: '/chat/completions', body: reqBody });
  const group = (a, b) => { let s = 0, mn = Infinity, mx = 0; for (let i = a; i < b; i++) { const c = counts.get(eps[i].name) ?? 0; s += c; mn = Math.min(mn, c); mx = Math.max(mx, c); } return `${(100 * s / R).toFixed(2)}% (per ep min ${mn} max ${mx})`; };
  console.log(`headers=${hdr}: w1 ${group(0, 100)} [expect 10%], w3 ${group(100, 200)} [30%], w6 ${group(200, 300)} [60%], tier1 ${group(300, 500)} [0%]`);
}
