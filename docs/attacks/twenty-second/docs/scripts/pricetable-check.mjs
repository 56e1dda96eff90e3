// compares docs/pricing.md's table (lines 115-140) with defaultPriceTable
import fs from 'node:fs'; import { defaultPriceTable } from '@detour/node';
const rows = Array.isArray(defaultPriceTable) ? defaultPriceTable : Object.values(defaultPriceTable);
const doc = fs.readFileSync('/tmp/attack22/docs/pricing.md', 'utf8').split('\n').filter((l) => /^\| [a-z]/.test(l) && l.includes('](http'));
let bad = 0;
for (const l of doc) { const c = l.split('|').map((s) => s.trim()); const model = c[1].replace(/ \(.*\)/, ''); const r = rows.find((x) => x.model === model);
  if (!r) { console.log('no row', model); bad++; continue; }
  const want = [c[2], c[3], c[4], c[5], c[6]].map(Number); const got = [r.inputPerMTok, r.cachedInputPerMTok, r.cacheWrite5mPerMTok, r.cacheWrite1hPerMTok, r.outputPerMTok];
  const date = c[8].split(' ')[0];
  if (want.some((w, i) => w !== got[i]) || date !== r.date) { console.log('DIFF', model, 'doc', want, date, 'code', got, r.date); bad++; } }
console.log(doc.length, 'rows compared,', bad, 'differ');
