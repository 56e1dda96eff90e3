// Retry-After forms on 429 and 503: which endpoint served, and how long primary is cooled.
import { upstream, createRouter, ERR, OK, send, health, eps } from './lib.mjs';
const days = ['Sunday','Monday','Tuesday','Wednesday','Thursday','Friday','Saturday'];
const mons = ['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'];
const p2 = (n) => String(n).padStart(2, '0');
const imf = (d) => d.toUTCString();
const rfc850 = (d) => `${days[d.getUTCDay()]}, ${p2(d.getUTCDate())}-${mons[d.getUTCMonth()]}-${p2(d.getUTCFullYear() % 100)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT`;
const asctime = (d) => `${days[d.getUTCDay()].slice(0,3)} ${mons[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2,' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
const skew = -3600_000; // server clock 1h behind ours
const cases = [
  ['delta 30', () => ({ 'retry-after': '30' })],
  ['delta 0', () => ({ 'retry-after': '0' })],
  ['IMF +30s', () => { const n = Date.now(); return { date: imf(new Date(n)), 'retry-after': imf(new Date(n + 30000)) }; }],
  ['rfc850 +30s', () => { const n = Date.now(); return { date: imf(new Date(n)), 'retry-after': rfc850(new Date(n + 30000)) }; }],
  ['asctime +30s', () => { const n = Date.now(); return { date: imf(new Date(n)), 'retry-after': asctime(new Date(n + 30000)) }; }],
  ['IMF +30s, server Date 1h behind', () => { const n = Date.now() + skew; return { date: imf(new Date(n)), 'retry-after': imf(new Date(n + 30000)) }; }],
  ['IMF +30s, no Date header', () => ({ 'retry-after': imf(new Date(Date.now() + 30000)) })],
  ['IMF in past', () => ({ date: imf(new Date()), 'retry-after': imf(new Date(Date.now() - 30000)) })],
  ['fraction 1.5', () => ({ 'retry-after': '1.5' })],
  ['negative -5', () => ({ 'retry-after': '-5' })],
  ['huge 999999999', () => ({ 'retry-after': '999999999' })],
  ['huge 1e30 digits', () => ({ 'retry-after': '1' + '0'.repeat(30) })],
  ['garbage "soon"', () => ({ 'retry-after': 'soon' })],
  ['"30s" unit', () => ({ 'retry-after': '30s' })],
  ['" 30 " spaces', () => ({ 'retry-after': ' 30 ' })],
  ['"+30"', () => ({ 'retry-after': '+30' })],
  ['retry-after-ms 2500 + ra 10', () => ({ 'retry-after-ms': '2500', 'retry-after': '10' })],
  ['retry-after-ms 0 + ra 10', () => ({ 'retry-after-ms': '0', 'retry-after': '10' })],
  ['retry-after-ms -1 + ra 10', () => ({ 'retry-after-ms': '-1', 'retry-after': '10' })],
  ['retry-after-ms 1.5', () => ({ 'retry-after-ms': '1.5' })],
  ['two retry-after lines 5,50', () => ({ 'retry-after': ['5', '50'] })],
];
const srvBeh = {};
const up = await upstream(new Proxy({}, { get: (_, k) => srvBeh[k] }));
for (const status of [429, 503]) {
  for (const [label, mk] of cases) {
    let first = true;
    up.reset();
    const beh = { a: () => (first ? ((first = false), ERR(status, mk(), status === 429 ? { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } : { error: { message: 'overloaded', type: 'server_error', code: null } })) : OK()) };
    // patch behaviour
    const router = createRouter({ endpoints: eps(up, ['a', 'b']) });
    globalThis.__beh = beh;
    const srv = up; // behaviours captured by reference below
    srv.hits.length = 0;
    Object.assign(srvBeh, beh);
    const r = await send(router);
    const h = await health(router);
    const a = h.find((x) => x.name === 'a');
    console.log(`${status} ${label.padEnd(32)} served=${r.endpoint ?? r.code} ms=${r.ms} attempts=${(r.attempts||[]).join(',')} a.cool=${a.cool} a.models=${JSON.stringify(a.models)} a.avail=${a.avail}`);
    await router.close();
  }
}
await up.close();
