// Hostile caller model names -> /metrics parsed strictly. Lone surrogates are distinct JS strings but encode to the
// same UTF-8 (U+FFFD), giving duplicate series.
import { upstream, okChat, gateway, chat } from './lib.mjs';
import { parseProm } from './promparse.mjs';
const u = await upstream(okChat);
const gw = await gateway([u]);
const names = ['q"uote', 'back\\slash', 'new\nline', 'cr\rret', 'br}ace{x="1"', '# HELP detour_x y', 'nul\u0000x', 'ls\u2028x', 'a\ud800', 'a\udc00', 'a\udfff', 'other', '\u001b[31mred', 'tab\tx', ''];
for (const n of names) { const r = await chat(gw, n); console.log(JSON.stringify(n), r.status, r.headers.get('x-detour-model')); await r.arrayBuffer(); }
const buf = Buffer.from(await (await fetch(gw.url + '/metrics')).arrayBuffer());
const { problems } = parseProm(buf);
console.log('problems:', problems.length); for (const p of problems.slice(0, 10)) console.log(' ', p);
console.log(buf.toString().split('\n').filter((l) => l.startsWith('detour_cost_usd_total')).join('\n'));
console.log(gw.logs.slice(-4).join(''));
await gw.close(100); await u.close();
