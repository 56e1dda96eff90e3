// 429 with a zero delay (Retry-After: 0, a past HTTP-date, retry-after-ms: 0) on primary a; backup b healthy.
import { upstream, createRouter, ERR, send, eps } from './lib.mjs';
let beh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => beh[k] }));
const rl = (h) => () => ERR(429, h, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } });
const cases = [
  ['Retry-After: 0', { 'retry-after': '0' }],
  ['Retry-After: <IMF date 5 s in the past>', { date: new Date().toUTCString(), 'retry-after': new Date(Date.now() - 5000).toUTCString() }],
  ['retry-after-ms: 0', { 'retry-after-ms': '0' }],
  ['Retry-After: 1 (control)', { 'retry-after': '1' }],
];
for (const prio of ['a<b priorities', 'equal priority']) {
  for (const [label, h] of cases) {
    beh = { a: rl(h) };
    up.reset();
    const endpoints = eps(up, ['a', 'b']).map((e) => (prio === 'equal priority' ? { ...e, priority: 0 } : e));
    const router = createRouter({ endpoints });
    const res = [];
    for (let i = 0; i < 5; i++) { const r = await send(router); res.push(r.ok ? 'OK' : `${r.code}`); }
    console.log(`${prio.padEnd(16)} ${label.padEnd(40)} 5 requests -> ${res.join(',')}  upstream hits=${JSON.stringify(up.counts)}`);
    await router.close();
  }
}
await up.close();
