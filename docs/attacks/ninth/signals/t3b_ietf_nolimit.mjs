// Default options (admission on): a 200 that says "nothing left" without a limit/policy: is the next request steered away?
import { upstream, createRouter, OK, send, eps } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
const withH = (h) => { const r = OK(); r.headers = { ...r.headers, ...h }; return r; };
const cases = [
  ['RateLimit "default";r=0;t=30 (no Policy)', { ratelimit: '"default";r=0;t=30' }],
  ['RateLimit r=0;t=30 + Policy q=3;w=60', { ratelimit: '"default";r=0;t=30', 'ratelimit-policy': '"default";q=3;w=60' }],
  ['x-ratelimit-remaining-requests 0 + reset 30s (no limit)', { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' }],
  ['same + limit 3', { 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '30s' }],
];
for (const [label, h] of cases) {
  beh = { a: (n) => (n === 0 ? withH(h) : OK()) };
  up.reset();
  const router = createRouter({ endpoints: eps(up, ['a', 'b']) });
  const r1 = await send(router); const r2 = await send(router); const r3 = await send(router);
  console.log(`${label.padEnd(58)} served: ${r1.endpoint},${r2.endpoint},${r3.endpoint} hits=${JSON.stringify(up.counts)}`);
  await router.close();
}
await up.close();
