
import { headerRecord } from './header-record.mjs';
const pool = [];
for (let i = 0; i < 700; i++) pool.push(`X-N${i}`);
const names = ['Set-Cookie', 'set-cookie', 'SET-COOKIE', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'Content-Type', 'content-type', 'x-ratelimit-remaining-requests'];
let seed = 1;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
{
  for (let iter = 0; iter < 30000; iter++) {
    const count = 1 + rnd(90);
    const raw = [];
    const ref = Object.create(null);
    const order = [];
    for (let i = 0; i < count; i++) {
      const nm = rnd(3) === 0 ? pool[rnd(iter < 1000 ? 40 : 700)] : names[rnd(names.length)];
      const spelled = rnd(4) === 0 ? nm.toUpperCase() : nm;
      const val = `v${iter}-${i}\xe9`;
      raw.push(Buffer.from(spelled, 'latin1'), Buffer.from(val, 'latin1'));
      const k = spelled.toLowerCase();
      if (k in ref) { const e = ref[k]; ref[k] = typeof e === 'string' ? [e, val] : [...e, val]; } else { ref[k] = val; order.push(k); }
    }
    const got = headerRecord(raw);
    const gotKeys = Object.keys(got);
    const plain = Object.fromEntries(gotKeys.map((k) => [k, got[k]]));
    const want = Object.fromEntries(order.map((k) => [k, ref[k]]));
    if (JSON.stringify(gotKeys) !== JSON.stringify(order) || JSON.stringify(plain) !== JSON.stringify(want)) {
      console.log('MISMATCH at iter', iter, JSON.stringify(raw.map(String)), '\nGOT', JSON.stringify(plain), '\nWANT', JSON.stringify(want));
      process.exit(1);
    }
  }
}
